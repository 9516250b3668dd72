// Child process of soak.test.mjs, run with --expose-gc: N builds, C at a time,
// against a faulty emulator; prints one JSON line with the figures.
// Input: env REL_SOAK = JSON { pkgEntry, url, key, builds, concurrency, deadlineMs, ctx }.
import { createRequire } from 'node:module'

const cfg = JSON.parse(process.env.REL_SOAK)
const require = createRequire(import.meta.url)
const pkg = require(cfg.pkgEntry)
const { Template } = pkg

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
  const p = Template.build(template(i), `soak-${i}`, { apiUrl: cfg.url, apiKey: cfg.key, onBuildLogs: (e) => seen.push(e) })
  const deadline = new Promise((r) => { timer = setTimeout(() => r({ outcome: 'hung' }), cfg.deadlineMs) })
  const r = await Promise.race([p.then(() => ({ outcome: 'completed' }), (error) => ({ outcome: 'failed', error })), deadline])
  clearTimeout(timer)
  const from = seen.findIndex((e) => e.message === 'Waiting for logs...')
  const server = from < 0 ? [] : seen.slice(from + 1, -1).filter((e) => !(e.level === 'debug' && /^Retrying /.test(e.message)))
  const keys = server.map((e) => `${e.timestamp.toISOString()}|${e.message}`)
  return {
    i,
    outcome: r.outcome,
    errorClass: r.error ? r.error.constructor?.name : undefined,
    message: r.error ? String(r.error.message).slice(0, 160) : undefined,
    intendedFailure: i % 7 === 3,
    ms: Date.now() - started,
    retries: seen.filter((e) => /^Retrying /.test(e.message)).length,
    duplicates: keys.length - new Set(keys).size,
    endLast: seen.at(-1) instanceof pkg.LogEntryEnd,
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
