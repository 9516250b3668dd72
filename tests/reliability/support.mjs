// Helpers of the reliability suite: the package, the emulator (restartable on the
// same port, with request logging), deadlines, a misbehaving HTTP server and the
// artifact file. Every server listens on 127.0.0.1.
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator, stopProcess, killProcess } from '../js/support/emulator.mjs'

export const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = resolve(here, '../..')
/** The built package; `REL_PKG_DIR` points elsewhere while developing (default `<repo>/pkg`). */
export const pkgDir = process.env.REL_PKG_DIR ? resolve(process.env.REL_PKG_DIR) : join(repoRoot, 'pkg')
export const pkgEntry = join(pkgDir, 'node/index.cjs')
export const artifactsDir = join(repoRoot, 'tests/artifacts')

const require = createRequire(import.meta.url)
export function loadPkg() {
  return require(pkgEntry)
}
export function loadOfficial() {
  return require('novita-sandbox')
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** The shared launcher (tests/js/support/emulator.mjs), under the name this suite uses. */
export const spawnEmulator = startEmulator
export { stopProcess, killProcess }

/** Starts the emulator on `127.0.0.1:port`, retrying while the port is still taken (at most `tries`). */
export async function respawnOnPort(port, args, tries = 20) {
  let last
  for (let i = 0; i < tries; i++) {
    try {
      return await spawnEmulator(args, { listen: `127.0.0.1:${port}` })
    } catch (e) {
      last = e
      await sleep(250)
    }
  }
  throw last
}

/**
 * Races `promise` against `ms`: `{ outcome: 'completed' | 'failed' | 'hung', value, error, ms }`.
 * A hung promise is left behind but cannot keep the test alive (the timer is unref'd
 * only after it fires; callers abort what they can).
 */
export async function withDeadline(promise, ms) {
  const started = Date.now()
  let timer
  const deadline = new Promise((r) => { timer = setTimeout(() => r({ outcome: 'hung' }), ms) })
  const settled = promise.then(
    (value) => ({ outcome: 'completed', value }),
    (error) => ({ outcome: 'failed', error }),
  )
  const r = await Promise.race([settled, deadline])
  clearTimeout(timer)
  return { ...r, ms: Date.now() - started }
}

/** One word for an error: its class name (constructor), or `name`, or typeof. */
export function errorClass(e) {
  if (e === undefined) return undefined
  if (e && typeof e === 'object') return e.constructor?.name && e.constructor.name !== 'Object' ? e.constructor.name : e.name || 'Object'
  return typeof e
}

/**
 * A tiny HTTP server on 127.0.0.1 answering through `handler(req, res, body)`.
 * Resolves with `{ url, port, server, hits, close() }`. Kept-alive sockets are
 * destroyed on close so the test process can exit.
 */
export function misbehavingServer(handler) {
  const sockets = new Set()
  const hits = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      hits.push({ method: req.method, url: req.url, headers: req.headers, body })
      try {
        handler(req, res, body)
      } catch (e) {
        res.destroy(e)
      }
    })
  })
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        server,
        hits,
        close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()) }),
      })
    })
  })
}

/** Merges `patch` into tests/artifacts/reliability.json (the lead quotes it). */
export function recordArtifact(section, value) {
  mkdirSync(artifactsDir, { recursive: true })
  const file = join(artifactsDir, 'reliability.json')
  let data = {}
  if (existsSync(file)) {
    try { data = JSON.parse(readFileSync(file, 'utf8')) } catch { data = {} }
  }
  data[section] = { ...value, recordedAt: new Date().toISOString() }
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n')
  return file
}
