// `make bench`: side-by-side benchmarks of this package against novita-sandbox@2.1.1.
// Prints a table and writes it as Markdown to bench/RESULTS.md. See bench/README.md.
//
// Environment:
//   BENCH_SCALE      copy() context: 1 = 2,000 files / 200 MB (default); a number scales
//                    both; `issue` = 5,000 files / 400 MB
//   BENCH_MEMORY_GB  size of the context of the memory row (default 1)
//   BENCH_ONLY       comma-separated rows to run: size,startup,browser,polling,copy,memory
//   BENCH_PKG        the built package (default <repo>/pkg; copied to the temp folder first)
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, cpSync } from 'node:fs'
import { tmpdir, totalmem, availableParallelism } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateContext } from './lib/context.mjs'
import { killChildren } from './lib/child.mjs'
import { startEmulator } from './lib/emulator.mjs'
import { startCountingProxy } from './lib/proxy.mjs'
import { startUploadSink } from './lib/upload-sink.mjs'
import { sizeRows } from './rows/size.mjs'
import { nodeStartupRows, browserStartupRows } from './rows/startup.mjs'
import { copyRows } from './rows/copy.mjs'
import { pollingRows } from './rows/polling.mjs'
import { memoryRows } from './rows/memory.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const repo = dirname(here)
const pkgSource = process.env.BENCH_PKG || join(repo, 'pkg')
const worker = join(here, 'worker.mjs')
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null
const wants = (row) => !only || only.has(row)

const scaleEnv = process.env.BENCH_SCALE || '1'
const scale = scaleEnv === 'issue' ? { files: 5000, bytes: 400e6 } : { files: Math.max(1, Math.round(2000 * Number(scaleEnv))), bytes: Math.round(200e6 * Number(scaleEnv)) }
const memGB = Number(process.env.BENCH_MEMORY_GB || '1')
if (!(scale.bytes > 0) || !(memGB > 0)) throw new Error('BENCH_SCALE and BENCH_MEMORY_GB must be positive numbers')
/** Time limit of one copy build: a minute, plus 2 s per MB (0.5 MB/s, far below any contestant). */
const buildLimitMs = (bytes) => 60000 + (bytes / 1e6) * 2000

// ---- clean-up: the temporary folder and every server, also on failure or Ctrl-C ----
const tmp = mkdtempSync(join(tmpdir(), 'novita-bench-'))
const stoppers = []
let cleaned = false
async function cleanup() {
  if (cleaned) return
  cleaned = true
  killChildren()
  for (const stop of stoppers.reverse()) await stop().catch(() => {})
  rmSync(tmp, { recursive: true, force: true })
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => cleanup().finally(() => process.exit(130)))
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }))
// Every loop below is bounded; this is the last word if something still hangs.
const watchdog = setTimeout(() => {
  console.error('bench: over 14 minutes, giving up')
  cleanup().finally(() => process.exit(1))
}, 14 * 60 * 1000)
watchdog.unref()

// A snapshot of the package: a rebuild of pkg/ while the bench runs (another
// engineer's `make build`) must not pull files from under the measurements.
const pkg = join(tmp, 'pkg')
const pkgFiles = ['package.json', 'node/index.cjs', 'node/index.mjs', 'node/core_bg.wasm', 'node/extras_bg.wasm', 'web/index.js', 'web/face.js', 'web/core.js', 'web/core_bg.wasm', 'web/extras.js', 'web/extras_bg.wasm']
for (let attempt = 1; ; attempt++) {
  rmSync(pkg, { recursive: true, force: true })
  try {
    cpSync(pkgSource, pkg, { recursive: true })
    if (pkgFiles.every((f) => existsSync(join(pkg, f)))) break
  } catch {}
  if (attempt === 10) {
    rmSync(tmp, { recursive: true, force: true })
    throw new Error(`the package is missing or incomplete: ${pkgSource} (run make build)`)
  }
  await new Promise((r) => setTimeout(r, 3000)) // a build in progress: try again
}
const officialVersion = JSON.parse(readFileSync(join(repo, 'node_modules/novita-sandbox/package.json'), 'utf8')).version
const ourVersion = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version

const rows = []
const extras = []
const log = (msg) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`)

async function section(name, title, fn) {
  if (!wants(name)) return
  log(title)
  const t0 = performance.now()
  try {
    const out = await fn()
    rows.push(...(out.rows || out))
    if (out.extra) extras.push(out.extra)
  } catch (e) {
    rows.push({ section: title, metric: 'failed', ours: 'error', official: 'error', ratio: 'n/a', limit: '—', note: String(e.message || e).split('\n')[0] })
  }
  log(`  ${title} took ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

async function withEmulator(args, fn, { uploadSink = false } = {}) {
  const emu = await startEmulator(join(tmp, `emu-${stoppers.length}`), args)
  const sink = uploadSink ? await startUploadSink(emu.url, tmp) : null
  const proxy = await startCountingProxy(sink ? sink.url : emu.url)
  const stop = async () => { await proxy.close(); if (sink) await sink.close(); await emu.stop() }
  stoppers.push(stop)
  try {
    return await fn(emu, proxy)
  } finally {
    await stop()
  }
}

try {
  let officialBundle
  await section('size', '1. Size', async () => {
    const out = await sizeRows({ pkg, repo, tmp })
    officialBundle = out.files.officialBundle
    return out
  })
  await section('startup', '2. Start-up (Node)', () => nodeStartupRows({ pkg, here, runs: 15 }))
  await section('browser', '2. Start-up (Chromium)', async () => {
    if (!officialBundle) officialBundle = (await sizeRows({ pkg, repo, tmp })).files.officialBundle
    return browserStartupRows({ pkg, tmp, officialBundle, runs: 7 })
  })
  const stepMs = 500
  const runSteps = 10
  await section('polling', '4. Polling + 6. Wire', () =>
    withEmulator(['--step-ms', String(stepMs)], (emu, proxy) => pollingRows({ pkg, worker, emu, proxy, stepMs, runSteps, builds: 2 })))
  // Steps that end at irregular times for a person watching: 8 RUN steps of 3 s.
  await section('polling', '4. Polling (8 × 3 s)', () =>
    withEmulator(['--step-ms', '3000'], (emu, proxy) => pollingRows({ pkg, worker, emu, proxy, stepMs: 3000, runSteps: 8, builds: 1, wire: false })))
  await section('copy', '3. copy() throughput', async () => {
    const ctx = generateContext(join(tmp, 'copy', 'ctx'), scale)
    try {
      return await withEmulator(['--step-ms', '1', '--max-upload-mb', String(Math.ceil((scale.bytes / 1e6) * 2 + 64))], (emu, proxy) =>
        copyRows({ ctx, pkg, worker, emu, proxy, timeoutMs: buildLimitMs(scale.bytes) }), { uploadSink: true })
    } finally {
      rmSync(join(tmp, 'copy'), { recursive: true, force: true })
    }
  })
  await section('memory', '5. Memory', async () => {
    const bytes = Math.round(memGB * 1e9)
    const ctx = generateContext(join(tmp, 'memory', 'ctx'), { files: Math.max(1, Math.round(1000 * memGB)), bytes, seed: 2 })
    try {
      return await withEmulator(['--step-ms', '1', '--max-upload-mb', String(Math.ceil((bytes / 1e6) * 2 + 64))], (emu) =>
        memoryRows({ ctx, pkg, worker, emu, timeoutMs: buildLimitMs(bytes) }))
    } finally {
      rmSync(join(tmp, 'memory'), { recursive: true, force: true })
    }
  })
} finally {
  await cleanup()
}

// ---- report ----
const order = ['1', '2', '3', '4', '5', '6']
rows.sort((a, b) => order.indexOf(a.section[0]) - order.indexOf(b.section[0]))
const cpu = (/^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8')) || [])[1] || 'unknown'
const machine = `${availableParallelism()} cores (nproc), ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`
const cols = ['section', 'metric', 'ours', 'official', 'ratio', 'limit']
const heads = ['row', 'metric', 'ours', 'official', 'ours ÷ official', 'reference limit']

const widths = cols.map((c, i) => Math.min(60, Math.max(heads[i].length, ...rows.map((r) => String(r[c]).length))))
const cut = (s, w) => (s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w))
console.log(`\nnovita-template-wasm ${ourVersion} vs novita-sandbox ${officialVersion} — ${new Date().toISOString()}`)
console.log(machine + '\n')
console.log(heads.map((h, i) => cut(h, widths[i])).join(' | '))
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
for (const r of rows) {
  console.log(cols.map((c, i) => cut(String(r[c]), widths[i])).join(' | '))
  if (r.note) console.log(`    ${r.note}`)
}

const esc = (s) => String(s).replace(/\|/g, '\\|')
const md = [
  '# Benchmark results',
  '',
  `\`make bench\` (\`node bench/run.mjs\`), novita-template-wasm ${ourVersion} against novita-sandbox ${officialVersion}. What each row measures: [README.md](README.md).`,
  '',
  `- date: ${new Date().toISOString()}`,
  `- machine: ${machine}`,
  `- copy() context: ${scale.files} files, ${(scale.bytes / 1e6).toFixed(0)} MB (BENCH_SCALE=${scaleEnv}); memory context: ${memGB} GB (BENCH_MEMORY_GB); polling: ${runStepsText()}`,
  '',
  '| row | metric | ours | official | ours ÷ official | reference limit | notes |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${[r.section, r.metric, r.ours, r.official, r.ratio, r.limit, r.note || ''].map(esc).join(' | ')} |`),
  '',
  ...(extras.length ? ['## Where our wasm bytes go', '', ...extras, ''] : []),
].join('\n')
function runStepsText() { return '10 RUN steps, emulator --step-ms 500, 2 builds per SDK' }
if (!only) writeFileSync(join(here, 'RESULTS.md'), md)
else writeFileSync(join(tmpdir(), 'novita-bench-partial.md'), md)
console.log(`\nwritten: ${only ? join(tmpdir(), 'novita-bench-partial.md') + ' (BENCH_ONLY: bench/RESULTS.md left as is)' : join(here, 'RESULTS.md')}`)
