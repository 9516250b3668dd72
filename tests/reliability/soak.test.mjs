// Soak: 100 builds, 8 at a time, against an emulator with moderate faults, in a
// child process run with --expose-gc so that memory can be measured after a full
// collection. Reports builds completed, errors by class, requests made (from the
// emulator's --log-requests) and memory at baseline, peak and after the run.
// Also: a build given an AbortSignal must not keep the process alive afterwards.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { here, pkgEntry, spawnEmulator, recordArtifact, sleep } from './support.mjs'

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

test(`soak: ${BUILDS} builds, ${CONCURRENCY} at a time, under moderate faults`, { timeout: 200_000 }, async () => {
  const ctx = mkdtempSync(join(tmpdir(), 'rel-soak-ctx-'))
  tempDirs.push(ctx)
  mkdirSync(join(ctx, 'app'))
  for (let f = 0; f < 20; f++) writeFileSync(join(ctx, 'app', `f${f}.txt`), `file ${f}\n`.repeat(200))
  const emu = await spawnEmulator(['--step-ms', '20', '--api-key', KEY, '--seed', '42', '--log-requests', ...FAULTS])
  let figures
  try {
    const r = await runChild(join(here, 'soak-child.mjs'), {
      REL_SOAK: JSON.stringify({ pkgEntry, url: emu.url, key: KEY, builds: BUILDS, concurrency: CONCURRENCY, deadlineMs: 60_000, ctx }),
    }, ['--expose-gc'])
    assert.equal(r.code, 0, `soak child exited with ${r.code}: ${r.stderr.slice(-2000)}`)
    figures = JSON.parse(r.stdout.trim().split('\n').at(-1))
  } finally {
    await sleep(100) // the last request lines
    var requests = emu.requests()
    await emu.stop()
  }
  const res = figures.results
  const byClass = {}
  for (const x of res) if (x.outcome === 'failed') byClass[x.errorClass] = (byClass[x.errorClass] || 0) + 1
  const byStatus = {}
  for (const q of requests) byStatus[q.status] = (byStatus[q.status] || 0) + 1
  const completed = res.filter((x) => x.outcome === 'completed').length
  const intended = res.filter((x) => x.intendedFailure)
  const summary = {
    builds: res.length,
    concurrency: CONCURRENCY,
    faults: FAULTS.join(' '),
    completed,
    failed: res.filter((x) => x.outcome === 'failed').length,
    hung: res.filter((x) => x.outcome === 'hung').length,
    intendedFailures: intended.length,
    errorsByClass: byClass,
    clientRetries: res.reduce((n, x) => n + x.retries, 0),
    requests: requests.length,
    requestsByStatus: byStatus,
    elapsedMs: figures.elapsedMs,
    memory: { baseline: figures.baseline, peak: figures.peak, after: figures.after },
  }
  recordArtifact('soak', summary)
  console.log(`soak: ${completed}/${res.length} builds completed (${intended.length} fail on purpose), ${summary.hung} hung, errors by class ${JSON.stringify(byClass)}, ${requests.length} requests ${JSON.stringify(byStatus)}, ${summary.clientRetries} client retries, ${(figures.elapsedMs / 1000).toFixed(1)} s`)
  console.log(`soak: heapUsed ${figures.baseline.heapUsedMB} MB at baseline, ${figures.peak.heapUsedMB} MB at peak, ${figures.after.heapUsedMB} MB after; rss ${figures.baseline.rssMB} → ${figures.after.rssMB} MB; external ${figures.baseline.externalMB} → ${figures.after.externalMB} MB`)

  assert.equal(res.length, BUILDS)
  assert.equal(summary.hung, 0, 'no build still pending after 60 s')
  for (const x of res) {
    assert.ok(x.endLast, `build ${x.i}: LogEntryEnd last`)
    assert.equal(x.duplicates, 0, `build ${x.i}: duplicated log entries`)
    if (x.intendedFailure && x.outcome === 'failed') assert.ok(x.errorClass === 'BuildError', `build ${x.i}: ${x.errorClass}: ${x.message}`)
    if (x.intendedFailure) assert.notEqual(x.outcome, 'completed', `build ${x.i} should have failed`)
    if (x.outcome === 'failed' && !x.intendedFailure) {
      // Only the non-retried POSTs may fail (500 or dropped), or retries may run out.
      assert.ok(
        (x.errorClass === 'BuildError' && /^(500: |Network error: )/.test(x.message)) || x.errorClass === 'RateLimitError' || x.errorClass === 'FileUploadError',
        `build ${x.i}: unexpected ${x.errorClass}: ${x.message}`,
      )
    }
  }
  assert.ok(completed >= BUILDS / 2, `${completed} completed`)
  // The JS heap returns near its baseline (the wasm linear memory only grows, so it is reported, not bounded).
  assert.ok(figures.after.heapUsedMB <= figures.baseline.heapUsedMB + 8, `heapUsed ${figures.baseline.heapUsedMB} → ${figures.after.heapUsedMB} MB`)
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
