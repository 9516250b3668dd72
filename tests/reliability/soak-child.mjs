// Child process of soak.test.mjs, run with --expose-gc: N builds, C at a time, by
// one SDK (ours or the official) against a faulty emulator; prints one JSON line
// with the figures. After each build the server's log entries are read back (with
// our package, retried through the faults) and compared with those delivered.
// Input: env REL_SOAK = JSON { sdkEntry, readerEntry, url, key, builds, concurrency, deadlineMs, ctx }.
import { createRequire } from 'node:module'

const cfg = JSON.parse(process.env.REL_SOAK)
const require = createRequire(import.meta.url)
const pkg = require(cfg.sdkEntry)
const reader = require(cfg.readerEntry)
const { Template } = pkg
const conn = { apiUrl: cfg.url, apiKey: cfg.key }

/** Every server entry of a build, page by page, retried through the faults. */
async function serverEntries(ids) {
  for (let attempt = 0; ; attempt++) {
    try {
      const all = []
      for (;;) {
        const s = await reader.Template.getBuildStatus(ids, { ...conn, requestTimeoutMs: 10_000, logsOffset: all.length })
        all.push(...s.logEntries)
        if (s.logEntries.length < 100) return all
      }
    } catch (e) {
      if (attempt >= 6) throw e
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

async function settle() {
  for (let i = 0; i < 6; i++) {
    global.gc()
    await new Promise((r) => setImmediate(r))
    await new Promise((r) => setTimeout(r, 20))
  }
}
const mem = () => {
  const m = process.memoryUsage()
  return { heapUsedMB: +(m.heapUsed / 2 ** 20).toFixed(1), externalMB: +(m.external / 2 ** 20).toFixed(1), arrayBuffersMB: +(m.arrayBuffers / 2 ** 20).toFixed(1), rssMB: +(m.rss / 2 ** 20).toFixed(1) }
}

// Build i: mostly plain builds, every 5th with copy(), every 7th failing on purpose.
function template(i) {
  const t = i % 5 === 0 ? Template({ fileContextPath: cfg.ctx }).fromTemplate('base').copy('app', '/app') : Template().fromTemplate('base')
  t.runCmd(`echo soak-${i}`).runCmd('echo second')
  if (i % 7 === 3) t.runCmd('make __fail__')
  return t
}

async function oneBuild(i) {
  const seen = []
  let timer
  const started = Date.now()
  const p = Template.build(template(i), `soak-${i}`, { ...conn, onBuildLogs: (e) => seen.push(e) })
  const deadline = new Promise((r) => { timer = setTimeout(() => r({ outcome: 'hung' }), cfg.deadlineMs) })
  const r = await Promise.race([p.then(() => ({ outcome: 'completed' }), (error) => ({ outcome: 'failed', error })), deadline])
  clearTimeout(timer)
  const from = seen.findIndex((e) => e.message === 'Waiting for logs...')
  const delivered = from < 0 ? [] : seen.slice(from + 1, -1).filter((e) => !(e.level === 'debug' && /^Retrying /.test(e.message)))
  const key = (e) => `${new Date(e.timestamp).toISOString()}|${e.message}`
  const keys = delivered.map(key)
  // Entries the server holds that were not delivered (all of them for a completed
  // build; a failed one may stop early). Unreadable server: counted as unknown.
  const created = seen.map((e) => /Template created with ID: (\S+), Build ID: (\S+)/.exec(e.message)).find(Boolean)
  let lost = 0
  let unknown = false
  if (created && r.outcome === 'completed') {
    try {
      const have = new Set(keys)
      lost = (await serverEntries({ templateId: created[1], buildId: created[2] })).filter((e) => !have.has(key(e))).length
    } catch {
      unknown = true
    }
  }
  return {
    i,
    outcome: r.outcome,
    errorClass: r.error ? r.error.constructor?.name : undefined,
    message: r.error ? String(r.error.message).slice(0, 160) : undefined,
    intendedFailure: i % 7 === 3,
    ms: Date.now() - started,
    retries: seen.filter((e) => /^Retrying /.test(e.message)).length,
    duplicates: keys.length - new Set(keys).size,
    lost,
    unknown,
    endLast: seen.at(-1) instanceof pkg.LogEntryEnd || seen.at(-1)?.constructor?.name === 'LogEntryEnd',
  }
}

// Warm-up (JIT, wasm memory growth), then the baseline.
await oneBuild(-1).catch(() => {})
await settle()
const baseline = mem()
const started = Date.now()
const results = []
let next = 0
let peak = baseline
async function worker() {
  while (next < cfg.builds) {
    const i = next++
    results.push(await oneBuild(i))
    const m = mem()
    if (m.heapUsedMB > peak.heapUsedMB) peak = m
  }
}
await Promise.all(Array.from({ length: cfg.concurrency }, worker))
const elapsedMs = Date.now() - started
await settle()
const afterRun = mem()
console.log(JSON.stringify({ elapsedMs, baseline, peak, after: afterRun, results }))
