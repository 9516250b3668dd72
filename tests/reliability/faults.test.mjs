// Fault suite: builds against the emulator under each fault flag alone and all
// together, and across an emulator kill -9 + restart on the same port and data dir.
// Our package and the official novita-sandbox SDK face the same seeded faults (a
// fresh emulator each, same flags, same seed, same build sequence).
//
// For our package: every build completes or fails with the expected typed error
// within its deadline, and the server's log entries are delivered exactly once, in
// order (compared with a final `getBuildStatus(…, {logsOffset: 0})`). For the official
// SDK the outcomes are only recorded. The table goes to tests/artifacts/reliability.json.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  loadPkg, loadOfficial, spawnEmulator, respawnOnPort, withDeadline, errorClass, recordArtifact, sleep, misbehavingServer,
} from './support.mjs'

const ours = loadPkg()
const official = loadOfficial()
const KEY = 'rel-fault-key'
const BUILD_DEADLINE_MS = 45_000
const BUILDS_PER_SCENARIO = 4

// Allowed failures of OUR package per scenario: [class name, message pattern]. A
// transient fault (a 5xx, a 429, a dropped connection, before or after the server
// handled the request) loses no build: every request is retried, the two build POSTs
// included (the trigger after asking the server whether it took effect). Only a
// server slower than every request's timeout fails a build.
const TIMEOUT = ['TimeoutError', /timed out after \d+ ms/]

// The fault mix of issue 13, where 2 of 10 builds used to fail: 100 % must complete.
const MIX = ['--fault-error-rate', '0.15', '--fault-429-rate', '0.1', '--fault-drop-rate', '0.05', '--fault-latency-ms', '50']
const MIX_BUILDS = 10

const SCENARIOS = [
  { name: 'mix (issue 13)', args: MIX, builds: MIX_BUILDS, allowed: [] },
  { name: '5xx', args: ['--fault-error-rate', '0.3'], allowed: [] },
  { name: '429+Retry-After', args: ['--fault-429-rate', '0.3'], allowed: [] },
  { name: 'latency>timeout', args: ['--fault-latency-ms', '300'], requestTimeoutMs: 150, allowed: [TIMEOUT] },
  { name: 'latency<timeout', args: ['--fault-latency-ms', '120'], requestTimeoutMs: 2000, allowed: [] },
  { name: 'drop', args: ['--fault-drop-rate', '0.2'], allowed: [] },
  {
    name: 'all',
    args: ['--fault-error-rate', '0.1', '--fault-429-rate', '0.1', '--fault-drop-rate', '0.1', '--fault-latency-ms', '40'],
    requestTimeoutMs: 5000,
    allowed: [],
  },
]

const SDKS = [
  { sdk: 'ours', lib: ours },
  { sdk: 'official', lib: official },
]

/** name → { sdk → [{ outcome, errorClass, message, ms, logs }] } */
const table = {}
const problems = [] // our builds that broke a promise (for the summary)
const tempDirs = []

after(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true })
  const summary = {}
  for (const { sdk } of SDKS) {
    const rows = Object.values(table).flatMap((r) => r[sdk] || [])
    const byClass = {}
    for (const r of rows) if (r.outcome === 'failed') byClass[`${r.errorClass}`] = (byClass[`${r.errorClass}`] || 0) + 1
    summary[sdk] = {
      builds: rows.length,
      completed: rows.filter((r) => r.outcome === 'completed').length,
      failed: rows.filter((r) => r.outcome === 'failed').length,
      hung: rows.filter((r) => r.outcome === 'hung').length,
      failedByClass: byClass,
      logMismatches: rows.filter((r) => r.logs && r.logs !== 'exact' && r.logs !== 'prefix' && r.logs !== 'n/a').length,
    }
  }
  const mix = {}
  for (const { sdk } of SDKS) {
    const rows = table['mix (issue 13)']?.[sdk] || []
    mix[sdk] = { builds: rows.length, completed: rows.filter((r) => r.outcome === 'completed').length, logMismatches: rows.filter((r) => r.logs && r.logs !== 'exact' && r.logs !== 'n/a').length }
  }
  const file = recordArtifact('faults', { buildsPerScenario: BUILDS_PER_SCENARIO, flags: MIX.join(' '), mix, deadlineMs: BUILD_DEADLINE_MS, scenarios: table, summary, problems })
  const pct = (m) => (m.builds ? Math.round((100 * m.completed) / m.builds) : 0)
  console.log(`faults mix (${MIX.join(' ')}): ours ${mix.ours.completed}/${mix.ours.builds} builds completed (${pct(mix.ours)} %), ${mix.ours.logMismatches} log mismatches | official ${mix.official.completed}/${mix.official.builds} (${pct(mix.official)} %)`)
  for (const { sdk } of SDKS) {
    const s = summary[sdk]
    const classes = Object.entries(s.failedByClass).map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'
    console.log(`faults ${sdk}: ${s.completed}/${s.builds} builds completed, ${s.failed} failed (${classes}), ${s.hung} hung past ${BUILD_DEADLINE_MS / 1000} s, ${s.logMismatches} log mismatches`)
  }
  for (const [name, r] of Object.entries(table)) {
    const cell = (rows) => (rows || []).map((x) => (x.outcome === 'failed' ? `failed:${x.errorClass}` : x.outcome)).join(' ')
    console.log(`faults ${name.padEnd(16)} ours: ${cell(r.ours)} | official: ${cell(r.official)}`)
  }
  console.log(`faults table written to ${file}`)
})

const template = (lib, i) => lib.Template().fromTemplate('base').runCmd(`echo fault-${i}`).runCmd('echo two').runCmd('echo three')

/** Every server entry of a build, read page by page; retried, since the connection may be faulty. */
async function serverEntries(conn, ids, attempts = 6) {
  let last
  for (let a = 0; a < attempts; a++) {
    try {
      const all = []
      for (let page = 0; page < 50; page++) {
        const s = await ours.Template.getBuildStatus(ids, { ...conn, requestTimeoutMs: 10_000, logsOffset: all.length })
        all.push(...s.logEntries)
        if (s.logEntries.length < 100) return { status: s.status, entries: all } // pages hold at most 100
      }
      return { status: 'unknown', entries: all }
    } catch (e) {
      last = e
      await sleep(300)
    }
  }
  throw last
}

const key = (e) => `${e.timestamp.toISOString()}|${e.level}|${e.message}`

/** Splits what `onBuildLogs` got into the ids and the server's entries (client entries removed). */
function deliveredServerEntries(seen) {
  const created = seen.map((e) => /Template created with ID: (\S+), Build ID: (\S+)/.exec(e.message)).find(Boolean)
  const ids = created ? { templateId: created[1], buildId: created[2] } : undefined
  const from = seen.findIndex((e) => e.message === 'Waiting for logs...')
  if (from < 0) return { ids, entries: [] }
  const entries = seen.slice(from + 1).filter((e) =>
    !(e.level === 'debug' && /^Retrying /.test(e.message)) && e.constructor.name !== 'LogEntryEnd')
  return { ids, entries }
}

/** 'exact', 'prefix', 'n/a' or a description of the mismatch. */
async function compareLogs(conn, seen, outcome) {
  const { ids, entries } = deliveredServerEntries(seen)
  if (!ids) return 'n/a'
  const server = await serverEntries(conn, ids)
  const got = entries.map(key)
  const want = server.entries.map(key)
  const dup = got.length - new Set(got).size
  if (dup > 0) return `${dup} duplicated entries`
  if (got.length === want.length && got.every((k, i) => k === want[i])) return 'exact'
  if (outcome !== 'completed' && got.every((k, i) => k === want[i])) return 'prefix'
  const firstDiff = got.findIndex((k, i) => k !== want[i])
  return `mismatch: got ${got.length} entries, server has ${want.length}; first difference at ${firstDiff}: ${got[firstDiff] ?? '(missing)'} vs ${want[firstDiff] ?? '(none)'}`
}

async function runBuild(lib, sdk, conn, i, extra = {}) {
  const seen = []
  const ac = new AbortController()
  const opts = { ...conn, ...extra, onBuildLogs: (e) => seen.push(e) }
  if (sdk === 'ours') opts.signal = ac.signal
  const r = await withDeadline(lib.Template.build(template(lib, i), `fault-${sdk}-${i}`, opts), BUILD_DEADLINE_MS)
  // Aborting also after a settled build releases the timer a signal leaves behind
  // (bug: see 'a build given a signal leaves no timer behind' in soak.test.mjs).
  ac.abort()
  return { ...r, seen }
}

function rowOf(r, logs) {
  return {
    outcome: r.outcome,
    errorClass: r.error ? errorClass(r.error) : undefined,
    message: r.error ? String(r.error.message).slice(0, 200) : undefined,
    ms: r.ms,
    logs,
  }
}

for (const sc of SCENARIOS) {
  const builds = sc.builds || BUILDS_PER_SCENARIO
  test(`fault scenario ${sc.name}: ours and official, ${builds} builds each`, { timeout: 480_000 }, async () => {
    table[sc.name] = {}
    for (const { sdk, lib } of SDKS) {
      const emu = await spawnEmulator(['--step-ms', '30', '--api-key', KEY, '--seed', '11', ...sc.args])
      const conn = { apiUrl: emu.url, apiKey: KEY }
      const extra = sc.requestTimeoutMs ? { requestTimeoutMs: sc.requestTimeoutMs } : {}
      const rows = []
      try {
        for (let i = 0; i < builds; i++) {
          const r = await runBuild(lib, sdk, conn, i, extra)
          let logs = 'n/a'
          try {
            logs = await compareLogs(conn, r.seen, r.outcome)
          } catch (e) {
            logs = `could not read the server log: ${e.message}`
          }
          rows.push(rowOf(r, logs))
          if (sdk !== 'ours') continue
          const where = `${sc.name} build ${i}`
          if (r.outcome === 'hung') problems.push(`${where}: hung`)
          assert.notEqual(r.outcome, 'hung', `${where}: still pending after ${BUILD_DEADLINE_MS} ms`)
          if (r.outcome === 'failed') {
            const e = r.error
            assert.ok(e instanceof Error, `${where}: rejected with a non-Error ${String(e)}`)
            const ok = sc.allowed.some(([cls, re]) => errorClass(e) === cls && e.name === cls && re.test(e.message))
            if (!ok) problems.push(`${where}: ${errorClass(e)}: ${e.message}`)
            assert.ok(ok, `${where}: unexpected ${errorClass(e)} (${e.name}): ${e.message}`)
            assert.ok(e instanceof ours[errorClass(e)], `${where}: not an instance of the exported ${errorClass(e)}`)
          }
          assert.ok(r.seen.length > 0 && r.seen.at(-1) instanceof ours.LogEntryEnd, `${where}: LogEntryEnd delivered last`)
          if (logs !== 'exact' && logs !== 'prefix' && logs !== 'n/a') problems.push(`${where}: logs ${logs}`)
          assert.ok(logs === 'exact' || logs === 'n/a' || (r.outcome === 'failed' && logs === 'prefix'), `${where}: ${logs}`)
        }
      } finally {
        table[sc.name][sdk] = rows
        await emu.stop()
      }
    }
  })
}

// kill -9 mid-build, restart on the same address and data dir: the interrupted build
// is marked failed by the emulator, and a polling client must either see that
// (BuildError naming the interruption) or complete; never hang.
test('fault scenario restart: kill -9 mid-build, restart on the same port and data dir', { timeout: 120_000 }, async () => {
  table.restart = {}
  for (const { sdk, lib } of SDKS) {
    const dataDir = mkdtempSync(join(tmpdir(), 'rel-restart-'))
    tempDirs.push(dataDir)
    const args = ['--step-ms', '250', '--api-key', KEY, '--data-dir', dataDir]
    let emu = await spawnEmulator(args)
    const conn = { apiUrl: emu.url, apiKey: KEY }
    const rows = []
    try {
      const seen = []
      const ac = new AbortController()
      const opts = { ...conn, onBuildLogs: (e) => seen.push(e) }
      if (sdk === 'ours') opts.signal = ac.signal
      const t = lib.Template().fromTemplate('base')
      for (let s = 0; s < 8; s++) t.runCmd(`echo restart-${s}`)
      const p = withDeadline(lib.Template.build(t, `restart-${sdk}`, opts), BUILD_DEADLINE_MS)
      // Wait until the build is running (the trigger went out), then kill -9.
      for (let i = 0; i < 100 && !seen.some((e) => e.message === 'Waiting for logs...'); i++) await sleep(20)
      await sleep(400)
      await emu.kill()
      await sleep(300)
      emu = await respawnOnPort(emu.port, args)
      const r = await p
      ac.abort() // see runBuild
      let logs
      try {
        logs = await compareLogs(conn, seen, r.outcome)
      } catch (e) {
        logs = `could not read the server log: ${e.message}`
      }
      rows.push(rowOf(r, logs))
      if (sdk === 'ours') {
        assert.notEqual(r.outcome, 'hung', 'ours: still pending after the deadline')
        if (r.outcome === 'failed') {
          assert.equal(errorClass(r.error), 'BuildError', `${errorClass(r.error)}: ${r.error.message}`)
          assert.match(r.error.message, /interrupted/)
        }
        assert.ok(seen.at(-1) instanceof ours.LogEntryEnd)
        assert.ok(logs === 'exact', `restart: logs ${logs}`)
      }
    } finally {
      table.restart[sdk] = rows
      await emu.stop()
    }
  }
})

// copy() under faults: the files link (GET) and the upload (PUT) are idempotent and
// retried by ours, so every copy() build completes.
test('fault scenario copy: a copy() build under 5xx and dropped connections', { timeout: 120_000 }, async (t) => {
  const ctx = mkdtempSync(join(tmpdir(), 'rel-copy-'))
  tempDirs.push(ctx)
  writeFileSync(join(ctx, 'app.py'), 'print("hi")\n')
  mkdirSync(join(ctx, 'lib'))
  writeFileSync(join(ctx, 'lib', 'x.py'), 'X = 1\n')
  table.copy = {}
  for (const { sdk, lib } of SDKS) {
    const emu = await spawnEmulator(['--step-ms', '30', '--api-key', KEY, '--seed', '5', '--fault-error-rate', '0.15', '--fault-drop-rate', '0.15'])
    const conn = { apiUrl: emu.url, apiKey: KEY }
    const rows = []
    try {
      for (let i = 0; i < 3; i++) {
        const seen = []
        const tpl = lib.Template({ fileContextPath: ctx }).fromTemplate('base').copy('app.py', '/app/app.py').copy('lib', '/app/lib').runCmd(`echo copy-${i}`)
        const r = await withDeadline(lib.Template.build(tpl, `copy-${sdk}-${i}`, { ...conn, onBuildLogs: (e) => seen.push(e) }), BUILD_DEADLINE_MS)
        rows.push(rowOf(r, 'n/a'))
        if (sdk === 'ours') assert.notEqual(r.outcome, 'hung')
      }
    } finally {
      table.copy[sdk] = rows
      await emu.stop()
    }
  }
  for (const r of table.copy.ours) assert.equal(r.outcome, 'completed', `${r.errorClass}: ${r.message}`)
})

// ---- client-side fault handling against a scripted server (ours; official recorded) ----

/** A server speaking the build protocol whose status replies follow `script(offset, n)`. */
async function scriptedBuildServer(statusReply) {
  let polls = 0
  return misbehavingServer((req, res) => {
    const json = (status, v, headers = {}) => { const b = JSON.stringify(v); res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b), ...headers }); res.end(b) }
    if (req.method === 'POST' && req.url === '/v3/templates') return json(202, { templateID: 'tpl1', buildID: 'bld1', tags: ['default'], names: ['n'], aliases: ['n'], public: false })
    if (req.method === 'POST') { res.writeHead(202, { 'content-length': '0' }); return res.end() }
    const m = /\/status\?logsOffset=(\d+)/.exec(req.url)
    if (m) return statusReply(Number(m[1]), polls++, json)
    json(404, { code: 404, message: 'no' })
  })
}
const entry = (i) => ({ timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), level: 'info', message: `line ${i}` })

test('log entries written after the terminal status are drained, once each, in order', async () => {
  // 6 entries; the status says ready while entries 4 and 5 are still to come.
  const got = {}
  for (const { sdk, lib } of SDKS) {
    const server = await scriptedBuildServer((offset, n, json) => {
      const upTo = n === 0 ? 2 : n === 1 ? 4 : 6
      const entries = []
      for (let i = offset; i < upTo; i++) entries.push(entry(i))
      json(200, { templateID: 'tpl1', buildID: 'bld1', status: n === 0 ? 'building' : 'ready', logEntries: entries, logs: entries.map((e) => e.message) })
    })
    try {
      const seen = []
      const r = await withDeadline(lib.Template.build(lib.Template().fromTemplate('base'), 'drain', { apiUrl: server.url, apiKey: 'k', onBuildLogs: (e) => seen.push(e.message) }), 20_000)
      got[sdk] = { outcome: r.outcome, lines: seen.filter((m) => /^line \d$/.test(m)) }
    } finally {
      await server.close()
    }
  }
  const verdict = (g) => (g.lines.join() === 'line 0,line 1,line 2,line 3,line 4,line 5' ? 'exact' : `mismatch: ${g.lines.length} of 6 entries delivered`)
  table.drain = { ours: [{ outcome: got.ours.outcome, logs: verdict(got.ours) }], official: [{ outcome: got.official.outcome, logs: verdict(got.official) }] }
  console.log(`faults drain: ours delivered ${got.ours.lines.length}/6 entries, official ${got.official.lines.length}/6`)
  assert.equal(got.ours.outcome, 'completed')
  assert.deepEqual(got.ours.lines, ['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5'])
})

test('Retry-After is honoured on polls, and a Retry-After beyond the retry budget gives up at once', async () => {
  for (const [retryAfter, expectDone] of [['2', true], ['100000', false]]) {
    const times = []
    const server = await scriptedBuildServer((offset, n, json) => {
      times.push(Date.now())
      if (n === 0) return json(429, { code: 429, message: 'slow down' }, { 'retry-after': retryAfter })
      json(200, { templateID: 'tpl1', buildID: 'bld1', status: 'ready', logEntries: [], logs: [] })
    })
    try {
      const r = await withDeadline(ours.Template.build(ours.Template().fromTemplate('base'), 'ra', { apiUrl: server.url, apiKey: 'k' }), 20_000)
      if (expectDone) {
        assert.equal(r.outcome, 'completed', r.error?.message)
        assert.ok(times[1] - times[0] >= 1950, `waited ${times[1] - times[0]} ms for Retry-After: 2`)
      } else {
        assert.equal(r.outcome, 'failed')
        assert.equal(errorClass(r.error), 'RateLimitError')
        assert.ok(r.ms < 2000, `gave up after ${r.ms} ms`)
      }
    } finally {
      await server.close()
    }
  }
})

test('an abort during a retry backoff or a Retry-After wait rejects with AbortError at once', async () => {
  for (const [label, reply] of [
    ['503 backoff', (json) => json(503, { code: 503, message: 'busy' })],
    ['Retry-After: 30', (json) => json(429, { code: 429, message: 'later' }, { 'retry-after': '30' })],
  ]) {
    const server = await scriptedBuildServer((offset, n, json) => reply(json))
    try {
      const ac = new AbortController()
      const seen = []
      setTimeout(() => ac.abort(), 1200)
      const r = await withDeadline(ours.Template.build(ours.Template().fromTemplate('base'), 'abort', { apiUrl: server.url, apiKey: 'k', signal: ac.signal, onBuildLogs: (e) => seen.push(e) }), 20_000)
      assert.equal(r.outcome, 'failed', label)
      assert.equal(errorClass(r.error), 'AbortError', `${label}: ${r.error?.message}`)
      assert.ok(r.ms < 1200 + 500, `${label}: rejected ${r.ms} ms after the start (abort at 1200 ms)`)
      assert.ok(seen.at(-1) instanceof ours.LogEntryEnd, label)
    } finally {
      await server.close()
    }
  }
})
