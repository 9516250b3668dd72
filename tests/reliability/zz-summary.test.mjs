// Runs last (files run in name order, one at a time on this machine): prints the
// figures the other files wrote to tests/artifacts/reliability.json as a few lines
// that are easy to quote. A section older than this run is marked with its age.
import { test } from 'node:test'
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { artifactsDir } from './support.mjs'

test('reliability summary', () => {
  const file = join(artifactsDir, 'reliability.json')
  if (!existsSync(file)) {
    console.log('reliability summary: no tests/artifacts/reliability.json yet')
    return
  }
  const data = JSON.parse(readFileSync(file, 'utf8'))
  const age = (s) => {
    const min = (Date.now() - Date.parse(s?.recordedAt)) / 60000
    return min > 15 ? ` [recorded ${Math.round(min)} min ago]` : ''
  }
  const lines = ['reliability summary (tests/artifacts/reliability.json):']
  const f = data.faults
  if (f?.mix) {
    const pct = (m) => (m.builds ? Math.round((100 * m.completed) / m.builds) : 0)
    lines.push(`  faults mix     : ${f.flags}: ours ${f.mix.ours.completed}/${f.mix.ours.builds} builds completed (${pct(f.mix.ours)} %), official ${f.mix.official.completed}/${f.mix.official.builds} (${pct(f.mix.official)} %)${age(f)}`)
  }
  if (f) {
    for (const sdk of ['ours', 'official']) {
      const s = f.summary[sdk]
      const classes = Object.entries(s.failedByClass).map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'
      lines.push(`  faults ${sdk.padEnd(8)}: ${s.completed}/${s.builds} builds completed, ${s.failed} failed (${classes}), ${s.hung} hung, ${s.logMismatches} log mismatches${age(f)}`)
    }
  }
  const k = data.soak
  if (k) {
    for (const s of [k, k.official].filter(Boolean)) {
      lines.push(`  soak ${(s.sdk || 'ours').padEnd(10)}: ${s.completed}/${s.builds} builds completed (${s.intendedFailures} fail on purpose), ${s.lostBuilds} lost among those meant to succeed, ${s.entriesLost} log entries lost, ${s.entriesDuplicated} duplicated, ${s.hung} hung, errors ${JSON.stringify(s.errorsByClass)}, ${s.requests} requests${age(k)}`)
    }
    lines.push(`  soak memory    : heapUsed ${k.memory.baseline.heapUsedMB} → ${k.memory.peak.heapUsedMB} (peak) → ${k.memory.after.heapUsedMB} MB${age(k)}`)
  }
  const b = data.badInputs
  if (b) lines.push(`  bad inputs     : ${b.refused}/${b.total} refused correctly${age(b)}`)
  const s = data.secrets
  if (s) {
    lines.push(`  secrets        : ${s.scenariosClean}/${s.scenarios} scenarios print no secret; non-loopback http refused ${s.httpRefused}; key follows a cross-origin redirect: ours ${s.redirectCarriesKey?.ours}, official ${s.redirectCarriesKey?.official}${age(s)}`)
  }
  const h = data.hardening
  if (h) lines.push(`  emulator       : ${h.checksPassed} hardening checks passed${age(h)}`)
  for (const l of lines) console.log(l)
})
