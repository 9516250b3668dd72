// Soak: 100 builds, 8 at a time, against an emulator with moderate faults, in a
// child process run with --expose-gc so that memory can be measured after a full
// collection; then the same with the official SDK, side by side. Reports builds
// completed, builds lost among those meant to succeed, log entries lost or
// duplicated, errors by class, requests made (from the emulator's --log-requests)
// and memory at baseline, peak and after the run. Ours must lose nothing.
// Also: a build given an AbortSignal must not keep the process alive afterwards.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { here, pkgEntry, spawnEmulator, recordArtifact, sleep } from './support.mjs'

const officialEntry = createRequire(import.meta.url).resolve('novita-sandbox')

const BUILDS = 100
const CONCURRENCY = 8
const KEY = 'rel-soak-key'
const FAULTS = ['--fault-error-rate', '0.03', '--fault-429-rate', '0.05', '--fault-drop-rate', '0.03', '--fault-latency-ms', '15']
const tempDirs = []
after(() => { for (const d of tempDirs) rmSync(d, { recursive: true, force: true }) })

function runChild(script, env, args = [], timeoutMs = 150_000) {
  const child = spawn(process.execPath, [...args, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => { stdout += d })
  child.stderr.on('data', (d) => { stderr += d })
  const started = Date.now()
  return new Promise((resolve) => {
    const t = setTimeout(() => { child.kill('SIGKILL'); resolve({ code: 'killed', stdout, stderr, ms: Date.now() - started }) }, timeoutMs)
    child.on('exit', (code) => { clearTimeout(t); resolve({ code, stdout, stderr, ms: Date.now() - started }) })
  })
}

/** One SDK's soak in a child process against a fresh emulator with the same seed. */
async function soak(sdk, sdkEntry, ctx) {
  const emu = await spawnEmulator(['--step-ms', '20', '--api-key', KEY, '--seed', '42', '--log-requests', ...FAULTS])
  let figures
  let requests
  try {
    const r = await runChild(join(here, 'soak-child.mjs'), {
      REL_SOAK: JSON.stringify({ sdkEntry, readerEntry: pkgEntry, url: emu.url, key: KEY, builds: BUILDS, concurrency: CONCURRENCY, deadlineMs: 60_000, ctx }),
    }, ['--expose-gc'], 300_000)
    assert.equal(r.code, 0, `${sdk} soak child exited with ${r.code}: ${r.stderr.slice(-2000)}`)
    figures = JSON.parse(r.stdout.trim().split('\n').at(-1))
  } finally {
    await sleep(100) // the last request lines
    requests = emu.requests()
    await emu.stop()
  }
  const res = figures.results
  const byClass = {}
  for (const x of res) if (x.outcome === 'failed') byClass[x.errorClass] = (byClass[x.errorClass] || 0) + 1
  const byStatus = {}
  for (const q of requests) byStatus[q.status] = (byStatus[q.status] || 0) + 1
  const meant = res.filter((x) => !x.intendedFailure)
  return {
    sdk,
    builds: res.length,
    concurrency: CONCURRENCY,
    faults: FAULTS.join(' '),
    completed: res.filter((x) => x.outcome === 'completed').length,
    failed: res.filter((x) => x.outcome === 'failed').length,
    hung: res.filter((x) => x.outcome === 'hung').length,
    intendedFailures: res.length - meant.length,
    // Builds meant to succeed that did not: lost to a transient fault.
    lostBuilds: meant.filter((x) => x.outcome !== 'completed').length,
    entriesLost: res.reduce((n, x) => n + x.lost, 0),
    entriesDuplicated: res.reduce((n, x) => n + x.duplicates, 0),
    unreadLogs: res.filter((x) => x.unknown).length,
    errorsByClass: byClass,
    clientRetries: res.reduce((n, x) => n + x.retries, 0),
    requests: requests.length,
    requestsByStatus: byStatus,
    elapsedMs: figures.elapsedMs,
    memory: { baseline: figures.baseline, peak: figures.peak, after: figures.after },
    results: res,
  }
}

test(`soak: ${BUILDS} builds, ${CONCURRENCY} at a time, under moderate faults, ours and the official SDK`, { timeout: 700_000 }, async () => {
  const ctx = mkdtempSync(join(tmpdir(), 'rel-soak-ctx-'))
  tempDirs.push(ctx)
  mkdirSync(join(ctx, 'app'))
  for (let f = 0; f < 20; f++) writeFileSync(join(ctx, 'app', `f${f}.txt`), `file ${f}\n`.repeat(200))
  const ours = await soak('ours', pkgEntry, ctx)
  const official = await soak('official', officialEntry, ctx)
  const brief = ({ results, ...s }) => s
  recordArtifact('soak', { ...brief(ours), official: brief(official) })
  for (const s of [ours, official]) {
    console.log(`soak ${s.sdk.padEnd(8)}: ${s.completed}/${s.builds} builds completed (${s.intendedFailures} fail on purpose), ${s.lostBuilds} lost among those meant to succeed, ${s.entriesLost} log entries lost, ${s.entriesDuplicated} duplicated, ${s.hung} hung, errors ${JSON.stringify(s.errorsByClass)}, ${s.requests} requests, ${(s.elapsedMs / 1000).toFixed(1)} s`)
  }
  console.log(`soak ours    : heapUsed ${ours.memory.baseline.heapUsedMB} MB at baseline, ${ours.memory.peak.heapUsedMB} MB at peak, ${ours.memory.after.heapUsedMB} MB after; rss ${ours.memory.baseline.rssMB} → ${ours.memory.after.rssMB} MB`)

  const res = ours.results
  assert.equal(res.length, BUILDS)
  assert.equal(ours.hung, 0, 'no build still pending after 60 s')
  for (const x of res) {
    assert.ok(x.endLast, `build ${x.i}: LogEntryEnd last`)
    assert.equal(x.duplicates, 0, `build ${x.i}: duplicated log entries`)
    assert.equal(x.lost, 0, `build ${x.i}: log entries lost`)
    if (x.intendedFailure) {
      assert.equal(x.outcome, 'failed', `build ${x.i} should have failed`)
      assert.equal(x.errorClass, 'BuildError', `build ${x.i}: ${x.errorClass}: ${x.message}`)
    } else {
      assert.equal(x.outcome, 'completed', `build ${x.i} lost to a fault: ${x.errorClass}: ${x.message}`)
    }
  }
  // The JS heap returns near its baseline (the wasm linear memory only grows, so it is reported, not bounded).
  assert.ok(ours.memory.after.heapUsedMB <= ours.memory.baseline.heapUsedMB + 8, `heapUsed ${ours.memory.baseline.heapUsedMB} → ${ours.memory.after.heapUsedMB} MB`)
})

test('a build given an AbortSignal does not keep the process alive afterwards', { timeout: 60_000 }, async () => {
  const emu = await spawnEmulator(['--step-ms', '20', '--api-key', KEY])
  const dir = mkdtempSync(join(tmpdir(), 'rel-signal-'))
  tempDirs.push(dir)
  const script = join(dir, 'signal.cjs')
  writeFileSync(script, `const { Template } = require(${JSON.stringify(pkgEntry)})
const ac = new AbortController()
Template.build(Template().fromTemplate('base').runCmd('echo s'), 'rel-signal', { apiUrl: ${JSON.stringify(emu.url)}, apiKey: ${JSON.stringify(KEY)}, signal: ac.signal })
  .then(() => { console.log('built at ' + Date.now()) }, (e) => { console.log('failed ' + e.message) })
`)
  try {
    const r = await runChild(script, {}, [], 15_000)
    assert.match(r.stdout, /built at/)
    assert.equal(r.code, 0, `the process was still alive 15 s after the build (${r.code})`)
  } finally {
    await emu.stop()
  }
})
