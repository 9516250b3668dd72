// One measurement in a fresh Node process, so that SDKs never share a heap, a JIT
// or a peak-RSS figure. Usage: node bench/worker.mjs '<json task>'
// Prints one JSON line on stdout: the result, or { error }.
//   { task: 'hash',  sdk, pkg, context, src, dest }
//   { task: 'build', sdk, pkg, context?, src?, dest?, runSteps, url, directUrl, key, name }
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const job = JSON.parse(process.argv[2])

function loadSdk() {
  return job.sdk === 'ours' ? require(`${job.pkg}/node/index.cjs`) : require('novita-sandbox')
}

function vmHWM() {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
  return m ? Number(m[1]) * 1024 : NaN
}

function template(sdk) {
  let t = sdk.Template(job.context ? { fileContextPath: job.context } : undefined).fromTemplate('base')
  if (job.src) t = t.copy(job.src, job.dest)
  for (let i = 0; i < (job.runSteps || 0); i++) t = t.runCmd(`echo step ${i} of ${job.name}`)
  return t
}

async function hash() {
  const sdk = loadSdk()
  const t = template(sdk)
  const t0 = performance.now()
  const json = JSON.parse(await sdk.Template.toJSON(t))
  const ms = performance.now() - t0
  const filesHash = json.steps.find((s) => s.type === 'COPY')?.filesHash
  return { ms, filesHash, peakRss: vmHWM() }
}

async function build() {
  const sdk = loadSdk()
  const t = template(sdk)
  const baseRss = vmHWM()
  const received = []
  const t0 = performance.now()
  const info = await sdk.Template.build(t, job.name, {
    apiUrl: job.url,
    apiKey: job.key,
    onBuildLogs: (e) => received.push({ at: Date.now(), rel: performance.now() - t0, ts: e.timestamp.getTime(), message: String(e.message) }),
  })
  const ms = performance.now() - t0
  const peakRss = vmHWM()
  const uploadsDone = received.find((e) => /All file uploads completed/.test(e.message))?.rel
  // The server's own entries (with its timestamps), read directly, not through the proxy.
  const res = await fetch(`${job.directUrl}/templates/${info.templateId}/builds/${info.buildId}/status?logsOffset=0`, {
    headers: { 'X-API-KEY': job.key },
  })
  const server = (await res.json()).logEntries || []
  const serverKeys = new Set(server.map((e) => `${new Date(e.timestamp).getTime()}|${e.message}`))
  const latencies = received.filter((e) => serverKeys.has(`${e.ts}|${e.message}`)).map((e) => e.at - e.ts)
  const batches = new Set(server.map((e) => e.timestamp)).size
  return { ms, uploadsDone, baseRss, peakRss, serverEntries: server.length, batches, delivered: latencies.length, latencies }
}

const tasks = { hash, build }
try {
  const result = await tasks[job.task]()
  process.stdout.write(JSON.stringify(result) + '\n')
} catch (e) {
  process.stdout.write(JSON.stringify({ error: String((e && e.message) || e).split('\n')[0] }) + '\n')
}
process.exit(0)
