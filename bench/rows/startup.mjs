// Row 2: start-up. Node: fresh processes, time to the first `Template()` call.
// Chromium: time to import the browser entry (ours: fetch + compile + instantiate
// the wasm; official: its esbuild bundle), each page fresh and uncached.
import { join } from 'node:path'
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { chromium } from 'playwright-core'
import { runNode } from '../lib/child.mjs'
import { median, fmtMs, ratio } from '../lib/stats.mjs'

export async function nodeStartupRows({ pkg, here, runs = 15 }) {
  const probe = join(here, 'startup-probe.mjs')
  const t = { ours: [], official: [], floor: [] }
  for (let i = 0; i < runs; i++) {
    for (const sdk of ['ours', 'official', 'floor']) {
      const r = await runNode([probe, sdk, pkg], { timeoutMs: 30000 })
      const ms = Number(r.stdout.trim())
      if (r.code !== 0 || !Number.isFinite(ms)) throw new Error(`startup probe ${sdk} failed: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`)
      t[sdk].push(ms)
    }
  }
  const [o, f, fl] = [median(t.ours), median(t.official), median(t.floor)]
  return [{
    section: '2. Start-up', metric: `Node: process start → first Template() (median of ${runs})`,
    ours: fmtMs(o), official: fmtMs(f), ratio: ratio(o, f, true),
    limit: `${fmtMs(fl)} (empty Node process)`,
    note: `ESM import of each package's Node entry; min ours ${fmtMs(Math.min(...t.ours))}, official ${fmtMs(Math.min(...t.official))}`,
  }]
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' }

/** Static files with `Cache-Control: no-store`, so every page load fetches and compiles afresh. */
async function serve(routes) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    const file = routes[path]
    if (!file) { res.writeHead(404); return res.end() }
    const ext = path.slice(path.lastIndexOf('.'))
    res.writeHead(200, { 'content-type': TYPES[ext] || 'application/octet-stream', 'cache-control': 'no-store' })
    res.end(readFileSync(file))
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.close(r); server.closeAllConnections() }) }
}

export async function browserStartupRows({ pkg, tmp, officialBundle, runs = 7 }) {
  const dir = join(tmp, 'browser')
  mkdirSync(dir, { recursive: true })
  // The official bundle keeps `import … from "fs"` etc. (Node built-ins, external):
  // a page maps them to one stub module, as a web app's bundler would.
  writeFileSync(join(dir, 'stub.js'), 'export default {}\nexport function fileURLToPath() { throw new Error("no fs") }\nexport function createHash() { throw new Error("no crypto") }\nexport function randomBytes() { throw new Error("no crypto") }\n')
  const importMap = JSON.stringify({ imports: Object.fromEntries(['fs', 'path', 'url', 'crypto'].map((m) => [m, '/stub.js'])) })
  writeFileSync(join(dir, 'page.html'), `<!doctype html><meta charset="utf-8"><script type="importmap">${importMap}</script>
<script type="module">
const entry = new URLSearchParams(location.search).get('entry')
const t0 = performance.now()
try {
  const m = await import(entry)
  const t1 = performance.now()
  m.Template()
  window.__result = { import: t1 - t0, first: performance.now() - t0 }
} catch (e) { window.__result = { error: String(e) } }
</script>`)
  const routes = {
    '/page.html': join(dir, 'page.html'),
    '/stub.js': join(dir, 'stub.js'),
    '/official.js': officialBundle,
    // The first load: the entry, the face, the core glue and module (the on-demand
    // module is not fetched by Template()).
    ...Object.fromEntries(['index.js', 'face.js', 'core.js', 'core_bg.wasm'].map((f) => [`/ours/${f}`, join(pkg, 'web', f)])),
  }
  const server = await serve(routes)
  const context = await chromium.launchPersistentContext(join(tmp, 'chromium-profile'), {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  const t = { ours: [], official: [] }
  try {
    for (let i = 0; i < runs + 1; i++) {
      for (const [sdk, entry] of [['ours', '/ours/index.js'], ['official', '/official.js']]) {
        const page = await context.newPage()
        try {
          await page.goto(`${server.url}/page.html?entry=${encodeURIComponent(entry)}`)
          await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30000 })
          const r = await page.evaluate(() => window.__result)
          if (r.error) throw new Error(`${sdk} in Chromium: ${r.error}`)
          if (i > 0) t[sdk].push(r.import) // the first round warms the browser process itself
        } finally {
          await page.close()
        }
      }
    }
  } finally {
    await context.close()
    await server.close()
  }
  const [o, f] = [median(t.ours), median(t.official)]
  return [{
    section: '2. Start-up', metric: `Chromium: import of the browser entry (median of ${runs})`,
    ours: fmtMs(o), official: fmtMs(f), ratio: ratio(o, f, true), limit: '—',
    note: 'headless Chromium, 127.0.0.1, no-store: fetch + parse/compile + instantiate; ours includes the core wasm',
  }]
}
