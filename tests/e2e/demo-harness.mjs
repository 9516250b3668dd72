// Shared set-up of the demo-page tests (not a test file itself): the emulator serves
// the page (www/, or $DEMO_WWW_DIR to run the tests against another copy of the page),
// the built package and the API on one origin; Debian's Chromium, driven by
// playwright-core, clicks through the page like a visitor would.
//
// The package: $DEMO_PKG_DIR, else <repo>/pkg when it holds a build, else a build
// into a temp dir. The emulator binary: $NOVITA_EMULATOR_BIN or target/debug/novita-emulator.
// Screenshots go to tests/artifacts/ (gitignored).
import { before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const artifacts = join(repoRoot, 'tests/artifacts')
export const WAIT = 20000 // upper bound of any single wait in the page
export const T = { timeout: 120000 } // per test
/** Makes names and commands unique per run, so no layer is cached across runs. */
export const run = Date.now().toString(36)

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

function packageDir(cleanup) {
  if (process.env.DEMO_PKG_DIR) return resolve(process.env.DEMO_PKG_DIR)
  const pkg = join(repoRoot, 'pkg')
  if (existsSync(join(pkg, 'web/index.js'))) return pkg
  const temp = mkdtempSync(join(tmpdir(), 'demo-e2e-pkg-'))
  cleanup.push(() => rmSync(temp, { recursive: true, force: true }))
  execFileSync('bash', ['scripts/build-pkg.sh'], { cwd: repoRoot, env: { ...process.env, PKG_OUT: temp }, stdio: 'pipe', timeout: 15 * 60000 })
  return temp
}

/** Starts the emulator on a free loopback port; resolves `{ child, url }`. */
export function startEmulator({ pkg, www = process.env.DEMO_WWW_DIR || join(repoRoot, 'www'), stepMs = 150 }) {
  const bin = process.env.NOVITA_EMULATOR_BIN || join(repoRoot, 'target/debug/novita-emulator')
  if (!existsSync(bin)) throw new Error(`emulator binary ${bin} is missing: run \`cargo build -p novita-emulator\``)
  const child = spawn(bin, ['--listen', '127.0.0.1:0', '--api-key', 'demo-key', '--step-ms', String(stepMs), '--serve', resolve(www), '--serve-pkg', pkg], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => { stderr += d })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`emulator did not start in 20 s; stderr: ${stderr}`)) }, 20000)
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited (${code}): ${stderr}`)) })
    child.stdout.on('data', (d) => {
      out += d
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        resolve({ child, url: m[1] })
      }
    })
  })
}

export async function stopEmulator(child) {
  if (!child || child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  const t = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(t)
}

export function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, timeout: 30000, args: CHROMIUM_ARGS })
}

/**
 * Registers the file's before/after hooks: one emulator and one browser for all
 * tests of the file. Returns `demo`, whose `baseUrl` and `browser` are set once
 * `before` ran.
 */
export function useDemo({ stepMs = 150 } = {}) {
  const demo = { baseUrl: '', browser: null, emulator: null }
  const cleanup = []
  before(async () => {
    mkdirSync(artifacts, { recursive: true })
    const pkg = packageDir(cleanup)
    ;({ child: demo.emulator, url: demo.baseUrl } = await startEmulator({ pkg, stepMs }))
    demo.browser = await launchBrowser()
  }, { timeout: 20 * 60000 })
  after(async () => {
    if (demo.browser) await demo.browser.close().catch(() => {})
    await stopEmulator(demo.emulator)
    for (const f of cleanup) f()
  }, { timeout: 30000 })
  return demo
}

/**
 * Records what a visitor's console would show: page errors and dialogs in
 * `problems`; console errors and warnings, failed requests and HTTP errors in `noise`;
 * every request URL in `requests`.
 */
export function watchPage(page) {
  const problems = []
  const noise = []
  const requests = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}) })
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') noise.push(`console ${m.type()}: ${m.text()}`) })
  page.on('requestfailed', (r) => {
    // A download link's blob: URL and aborted polls after a stop are not failures a visitor sees.
    const why = (r.failure() && r.failure().errorText) || ''
    if (!r.url().startsWith('blob:') && why !== 'net::ERR_ABORTED') noise.push(`request failed: ${r.method()} ${r.url()} ${why}`)
  })
  page.on('request', (r) => requests.push(r.url()))
  page.on('response', (r) => { if (r.status() >= 400) noise.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`) })
  return { problems, noise, requests }
}

/** A fresh context and page on the demo. `contextOptions` go to browser.newContext. */
export async function openDemo(demo, t, { width = 1366, height = 900, path = '/', ...contextOptions } = {}) {
  const context = await demo.browser.newContext({ viewport: { width, height }, ...contextOptions })
  t.after(() => context.close())
  const page = await context.newPage()
  page.setDefaultTimeout(WAIT)
  const watched = watchPage(page)
  await page.goto(demo.baseUrl + path)
  await page.waitForSelector('body[data-ready]')
  return { context, page, ...watched }
}

export const status = (page) => page.textContent('#status')
export const logText = (page) => page.textContent('#log')
export const ENDED = ['ready', 'failed', 'timed out', 'unreachable', 'cancelled', 'not watching', 'cannot watch', 'not started']

/** Waits for the status badge to show one of `wanted`; returns it. */
export async function waitStatus(page, wanted, timeout = WAIT) {
  await page.waitForFunction((w) => w.includes(document.querySelector('#status').textContent), wanted, { timeout }).catch(async (e) => {
    const box = await page.textContent('#build-error').catch(() => '')
    throw new Error(`status stayed "${await status(page)}" (wanted ${wanted.join('/')}); error box: ${box}; ${e.message}`)
  })
  return status(page)
}

export async function removeStep(page, type) {
  await page.click(`#steps li[data-type="${type}"] button[data-act="remove"]`)
}

/** Adds a step through the form and fills its fields ({field: value}). */
export async function addStep(page, type, fields = {}) {
  await page.selectOption('#step-type', type)
  await page.click('#step-add')
  const row = page.locator('#steps > li').last()
  for (const [k, v] of Object.entries(fields)) await row.locator(`[data-field="${k}"]`).fill(v)
}

export async function setName(page, name) {
  await page.fill('#tpl-name', name)
}

/**
 * Waits until the build now running reports that step `step` (`base`, `1`, …) started.
 * Cancel is enabled once the build began, which also cleared an earlier build's rows:
 * right after a click on Build the page is still checking the form, and a row left
 * from the build before would pass for this one.
 */
export function stepStarted(page, step) {
  return page.waitForFunction((s) => !document.querySelector('#cancel').disabled && !!document.querySelector(`#step-list li[data-step="${s}"]`), step)
}

/** The names of the account's templates, asked through the package from the page (no 404 on a missing one). */
export function templateNames(page) {
  return page.evaluate(async () => {
    const api = await import('/pkg/web/index.js')
    const r = await api.Template.list({ apiUrl: location.origin, apiKey: 'demo-key', limit: 100 }).nextPage()
    return r.templates.flatMap((t) => t.names)
  })
}

/** A loopback port nothing listens on. */
export function deadPort() {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)) })
  })
}

/** The element that has focus, described (tag#id[data-field]), or 'BODY'. */
export function focused(page) {
  return page.evaluate(() => {
    const a = document.activeElement
    if (!a || a === document.body) return 'BODY'
    return `${a.tagName}${a.id ? '#' + a.id : ''}${a.dataset.field ? `[${a.dataset.field}]` : ''}${a.disabled ? ':disabled' : ''}`
  })
}

export { assert }
