// End-to-end test of the demo page (www/): the emulator serves the page, the built
// package and the API on one origin; Debian's Chromium, driven by playwright-core,
// clicks through the page like a visitor would.
//
//   node --test tests/e2e/           (after `make build` and `cargo build -p novita-emulator`)
//
// Uses $DEMO_PKG_DIR, else <repo>/pkg when it holds a build, else builds the package
// into a temp dir.
// The emulator binary is $NOVITA_EMULATOR_BIN or target/debug/novita-emulator.
// Screenshots go to tests/artifacts/ (gitignored).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const artifacts = join(repoRoot, 'tests/artifacts')
const WAIT = 20000 // upper bound of any single wait in the page
const run = Date.now().toString(36) // makes commands unique, so no layer is cached
const T = { timeout: 120000 } // per test

let emulator
let baseUrl
let browser
let tempPkg

function packageDir() {
  if (process.env.DEMO_PKG_DIR) return resolve(process.env.DEMO_PKG_DIR)
  const pkg = join(repoRoot, 'pkg')
  if (existsSync(join(pkg, 'web/index.js'))) return pkg
  tempPkg = mkdtempSync(join(tmpdir(), 'demo-e2e-pkg-'))
  execFileSync('bash', ['scripts/build-pkg.sh'], { cwd: repoRoot, env: { ...process.env, PKG_OUT: tempPkg }, stdio: 'pipe', timeout: 15 * 60000 })
  return tempPkg
}

function startEmulator(pkg) {
  const bin = process.env.NOVITA_EMULATOR_BIN || join(repoRoot, 'target/debug/novita-emulator')
  if (!existsSync(bin)) throw new Error(`emulator binary ${bin} is missing: run \`cargo build -p novita-emulator\``)
  const child = spawn(bin, ['--listen', '127.0.0.1:0', '--api-key', 'demo-key', '--step-ms', '150', '--serve', join(repoRoot, 'www'), '--serve-pkg', pkg], { stdio: ['ignore', 'pipe', 'pipe'] })
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

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  const pkg = packageDir()
  ;({ child: emulator, url: baseUrl } = await startEmulator(pkg))
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}, { timeout: 20 * 60000 })

after(async () => {
  if (browser) await browser.close().catch(() => {})
  if (emulator && emulator.exitCode === null) {
    const exited = new Promise((r) => emulator.once('exit', r))
    emulator.kill('SIGTERM')
    const t = setTimeout(() => emulator.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(t)
  }
  if (tempPkg) rmSync(tempPkg, { recursive: true, force: true })
}, { timeout: 30000 })

/** A fresh context and page on the demo, with page errors and dialogs recorded. */
async function openDemo(t, { width = 1366, height = 900, path = '/' } = {}) {
  const context = await browser.newContext({ viewport: { width, height } })
  t.after(() => context.close())
  const page = await context.newPage()
  page.setDefaultTimeout(WAIT)
  const problems = watchPage(page)
  await page.goto(baseUrl + path)
  await page.waitForSelector('body[data-ready]')
  return { context, page, problems }
}

function watchPage(page) {
  const problems = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}) })
  return problems
}

const status = (page) => page.textContent('#status')

/** Waits for the status badge to show one of `wanted`; returns it. */
async function waitStatus(page, wanted, timeout = WAIT) {
  await page.waitForFunction((w) => w.includes(document.querySelector('#status').textContent), wanted, { timeout }).catch(async (e) => {
    const box = await page.textContent('#build-error').catch(() => '')
    throw new Error(`status stayed "${await status(page)}" (wanted ${wanted.join('/')}); error box: ${box}; ${e.message}`)
  })
  return status(page)
}

async function removeStep(page, type) {
  await page.click(`#steps li[data-type="${type}"] button[data-act="remove"]`)
}

/** Adds a step through the form and fills its fields ({field: value}). */
async function addStep(page, type, fields) {
  await page.selectOption('#step-type', type)
  await page.click('#step-add')
  const row = page.locator('#steps > li').last()
  for (const [k, v] of Object.entries(fields)) await row.locator(`[data-field="${k}"]`).fill(v)
}

async function setName(page, name) {
  await page.fill('#tpl-name', name)
}

const logText = (page) => page.textContent('#log')

test('opens with the example template, the emulator connection and a live preview', T, async (t) => {
  const { page, problems } = await openDemo(t)
  assert.equal(await page.inputValue('#api-url'), baseUrl)
  assert.equal(await page.inputValue('#api-key'), 'demo-key')
  await page.waitForFunction(() => document.querySelector('#preview').textContent.includes('FROM'))
  const preview = await page.textContent('#preview')
  assert.match(preview, /^FROM python:3\.12$/m)
  assert.match(preview, /^RUN pip install flask$/m)
  assert.match(preview, /^COPY app\.py \/home\/user\/app\.py$/m)
  assert.match(preview, /python \/home\/user\/app\.py/)
  assert.equal(await page.locator('#files li[data-path="app.py"]').count(), 1)

  // Every control has a name a screen reader can read (a label, text or aria-label).
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((c) => !(c.closest('label') || c.getAttribute('aria-label') || (c.id && document.querySelector(`label[for="${c.id}"]`)) || (c.tagName === 'BUTTON' && c.textContent.trim())))
    .map((c) => c.outerHTML.slice(0, 80)))
  assert.deepEqual(unnamed, [])

  // Files dropped on the page join the file context.
  await page.evaluate(() => {
    const dt = new DataTransfer()
    dt.items.add(new File(['# notes\n'], 'notes.md', { type: 'text/markdown' }))
    document.querySelector('#drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
  })
  await page.waitForSelector('#files li[data-path="notes.md"]')

  // The preview follows edits; a builder error is shown inline as text.
  await page.fill('#steps li[data-type="pipInstall"] [data-field="packages"]', 'flask gunicorn')
  await page.waitForFunction(() => document.querySelector('#preview').textContent.includes('pip install flask gunicorn'))
  await addStep(page, 'setEnvs', { envs: 'not a pair' })
  await page.waitForSelector('#preview-error:not([hidden])')
  assert.match(await page.textContent('#preview-error'), /Step 3 \(setEnvs\)/)
  await page.fill('#steps li[data-type="setEnvs"] [data-field="envs"]', 'APP_ENV=demo')
  await page.waitForSelector('#preview-error', { state: 'hidden' })
  assert.match(await page.textContent('#preview'), /^ENV APP_ENV=demo$/m)

  // Other bases: a pasted Dockerfile, and a template (which has no Dockerfile form).
  await page.selectOption('#base-kind', 'dockerfile')
  await page.fill('#base-dockerfile', 'FROM node:22-slim\nRUN npm install -g pnpm\n')
  await page.waitForFunction(() => document.querySelector('#preview').textContent.startsWith('FROM node:22-slim'))
  assert.match(await page.textContent('#preview'), /^RUN npm install -g pnpm$/m)
  await page.selectOption('#base-kind', 'template')
  await page.waitForFunction(() => document.querySelector('#preview').textContent.includes('No Dockerfile preview'))
  assert.equal(await page.isHidden('#preview-error'), true)
  await page.selectOption('#base-kind', 'node')
  await page.selectOption('#ready-kind', 'url')
  await page.fill('#ready-value', 'http://localhost:3000/health 204')
  await page.waitForFunction(() => /^FROM node:lts$/m.test(document.querySelector('#preview').textContent))
  assert.deepEqual(problems, [])
})

test('builds the example (pip step, copied in-memory and picked files) with streaming logs until ready', T, async (t) => {
  const { page, problems } = await openDemo(t)
  await setName(page, `e2e-copy-${run}`)
  // A file chosen with the picker joins the in-memory app.py.
  await page.setInputFiles('#pick-files', { name: 'requirements.txt', mimeType: 'text/plain', buffer: Buffer.from(`flask==3.0.0\n# ${run}\n`) })
  await page.waitForSelector('#files li[data-path="requirements.txt"]')
  await addStep(page, 'copy', { src: 'requirements.txt', dest: '/home/user/requirements.txt' })
  // A folder chosen with the directory picker keeps its relative paths.
  const dir = mkdtempSync(join(tmpdir(), 'demo-e2e-folder-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'static/css'), { recursive: true })
  writeFileSync(join(dir, 'static/index.html'), `<h1>hello ${run}</h1>\n`)
  writeFileSync(join(dir, 'static/css/site.css'), 'h1 { color: teal }\n')
  await page.setInputFiles('#pick-folder', join(dir, 'static'))
  await page.waitForSelector('#files li[data-path="static/css/site.css"]')
  await addStep(page, 'copy', { src: 'static', dest: '/home/user/static' })
  await page.fill('#steps li[data-type="pipInstall"] [data-field="packages"]', `flask e2e-${run}`)
  await page.evaluate(() => {
    window.__snaps = []
    new MutationObserver(() => window.__snaps.push({ status: document.querySelector('#status').textContent, lines: document.querySelectorAll('#log .line').length }))
      .observe(document.querySelector('#log'), { childList: true })
  })
  await page.click('#build')
  await page.waitForFunction(() => /\[\w+\]/.test(document.querySelector('#log').textContent) || document.querySelector('#status').textContent !== 'building')
  await page.screenshot({ path: join(artifacts, 'demo-building.png') })
  const final = await waitStatus(page, ['ready', 'error', 'cancelled'])
  await page.screenshot({ path: join(artifacts, 'demo-copy-result.png') })
  assert.equal(final, 'ready', `the build with copy() did not reach ready: ${await page.textContent('#build-error')}`)
  const snaps = await page.evaluate(() => window.__snaps)
  assert.ok(snaps.filter((s) => s.status === 'building' && s.lines > 0).length >= 3, `log lines should arrive while building: ${JSON.stringify(snaps)}`)
  const log = await logText(page)
  assert.match(log, /RUN pip install flask e2e-/)
  assert.match(log, /COPY app\.py \/home\/user\/app\.py/)
  assert.match(log, /COPY requirements\.txt \/home\/user\/requirements\.txt/)
  assert.match(log, /COPY static \/home\/user\/static/)
  assert.match(await page.textContent('#build-result'), /Ready/)
  assert.deepEqual(problems, [])
})

test('a failing step is named, with the reason', T, async (t) => {
  const { page, problems } = await openDemo(t)
  await setName(page, `e2e-fail-${run}`)
  await removeStep(page, 'copy')
  await addStep(page, 'runCmd', { cmd: `echo __fail__ ${run}` })
  await page.click('#build')
  assert.equal(await waitStatus(page, ['ready', 'error', 'cancelled']), 'error')
  const box = await page.textContent('#build-error')
  assert.match(box, /Failed at step 2/)
  assert.match(box, /runCmd\("echo __fail__/)
  assert.match(box, /exited with code 1/)
  assert.ok(await page.locator('#log .line.lvl-error').count() >= 1, 'error lines are marked')
  await page.screenshot({ path: join(artifacts, 'demo-failed.png') })
  assert.deepEqual(problems, [])
})

test('a background build survives a reload and a second tab watches it too', T, async (t) => {
  const { context, page, problems } = await openDemo(t)
  await setName(page, `e2e-bg-${run}`)
  await removeStep(page, 'copy')
  for (let i = 1; i <= 8; i++) await addStep(page, 'runCmd', { cmd: `echo bg step ${i} ${run}` })
  await page.click('#build-bg')
  await page.waitForURL(/buildId=/)
  const url = new URL(page.url())
  const templateId = url.searchParams.get('templateId')
  const buildId = url.searchParams.get('buildId')
  assert.ok(templateId && buildId)

  const second = await context.newPage()
  second.setDefaultTimeout(WAIT)
  const problems2 = watchPage(second)
  await Promise.all([page.reload(), second.goto(url.href)])
  for (const p of [page, second]) {
    await p.waitForSelector('body[data-ready]')
    await p.waitForSelector('#watch-info:not([hidden])')
    assert.match(await p.textContent('#watch-info'), new RegExp(buildId))
  }
  const seenAfterReload = await status(page)
  t.diagnostic(`status right after the reload: ${seenAfterReload}`)
  assert.equal(await waitStatus(page, ['ready', 'error']), 'ready')
  assert.equal(await waitStatus(second, ['ready', 'error']), 'ready')
  const lines = await page.locator('#log .line').count()
  assert.equal(await second.locator('#log .line').count(), lines, 'both tabs show the whole log')
  const log = await logText(page)
  // The whole server log, from its first entry: every step named once, in order.
  assert.match(log, /\[base\] FROM /)
  const headers = [...log.matchAll(/\[builder (\d+)\/(\d+)\] /g)].map((m) => [Number(m[1]), Number(m[2])])
  const total = headers[0]?.[1]
  assert.ok(total >= 9, `at least 9 steps: ${headers.join(' ')}`)
  assert.deepEqual(headers, Array.from({ length: total }, (_, i) => [i + 1, total]))
  assert.match(log, /\[builder 9\/\d+\] RUN echo bg step 8 /)
  assert.match(log, /\[finalize\]/)
  assert.match(await page.textContent('#build-result'), new RegExp(templateId))
  await page.screenshot({ path: join(artifacts, 'demo-background.png') })
  assert.deepEqual([...problems, ...problems2], [])
})

test('Cancel stops a foreground build', T, async (t) => {
  const { page, problems } = await openDemo(t)
  await setName(page, `e2e-cancel-${run}`)
  await removeStep(page, 'copy')
  for (let i = 1; i <= 10; i++) await addStep(page, 'runCmd', { cmd: `echo cancel step ${i} ${run}` })
  await page.click('#build')
  await page.waitForFunction(() => document.querySelector('#log').textContent.includes('[base]'))
  assert.equal(await page.isEnabled('#cancel'), true)
  await page.click('#cancel')
  assert.equal(await waitStatus(page, ['ready', 'error', 'cancelled']), 'cancelled')
  assert.equal(await page.isEnabled('#build'), true)
  assert.equal(await page.isDisabled('#cancel'), true)
  assert.match(await logText(page), /Cancelled by the user/)
  assert.doesNotMatch(await logText(page), /\[finalize\]/)
  assert.deepEqual(problems, [])
})

test('the log follows new lines until the user scrolls up', T, async (t) => {
  const { page, problems } = await openDemo(t)
  await setName(page, `e2e-scroll-${run}`)
  await removeStep(page, 'copy')
  for (let i = 1; i <= 16; i++) await addStep(page, 'runCmd', { cmd: `echo scroll step ${i} ${run}` })
  await page.click('#build')
  const scrollable = () => page.waitForFunction(() => { const l = document.querySelector('#log'); return l.scrollHeight > l.clientHeight + 40 })
  await scrollable()
  // Following: the newest line is in view.
  await page.waitForFunction(() => { const l = document.querySelector('#log'); return l.scrollTop + l.clientHeight >= l.scrollHeight - 4 })
  await page.evaluate(() => { document.querySelector('#log').scrollTop = 0 })
  await page.waitForSelector('#log-follow:not([hidden])')
  const before = await page.locator('#log .line').count()
  await page.waitForFunction((n) => document.querySelectorAll('#log .line').length >= n + 3 || document.querySelector('#status').textContent !== 'building', before)
  assert.ok(await page.evaluate(() => document.querySelector('#log').scrollTop) < 5, 'the view stays where the user put it')
  await page.click('#log-follow')
  await page.waitForSelector('#log-follow', { state: 'hidden' })
  assert.equal(await waitStatus(page, ['ready', 'error', 'cancelled']), 'ready')
  assert.ok(await page.evaluate(() => { const l = document.querySelector('#log'); return l.scrollTop + l.clientHeight >= l.scrollHeight - 4 }), 'following again after the button')
  assert.deepEqual(problems, [])
})

test('log lines are shown as text, never as HTML', T, async (t) => {
  const { page, problems } = await openDemo(t)
  const payload = '<img src=x onerror=alert(1)>'
  await setName(page, `e2e-xss-${run}`)
  await removeStep(page, 'copy')
  await addStep(page, 'runCmd', { cmd: `echo "${payload}" ${run}` })
  await page.focus('#build')
  await page.keyboard.press('Enter') // the page works from the keyboard
  assert.equal(await waitStatus(page, ['ready', 'error', 'cancelled']), 'ready')
  assert.ok((await logText(page)).includes(payload), 'the payload is visible as text')
  assert.equal(await page.locator('#log img').count(), 0)
  assert.equal(await page.locator('img').count(), 0)
  assert.ok((await page.textContent('#preview')).includes(payload))
  assert.deepEqual(problems, [], 'no alert() ran')
})

test('templates list, tags, sandbox create/kill and delete', T, async (t) => {
  const { page, problems } = await openDemo(t)
  const name = `e2e-tags-${run}`
  await setName(page, name)
  await page.fill('#tpl-tags', 'v1')
  await removeStep(page, 'copy')
  await page.click('#build')
  assert.equal(await waitStatus(page, ['ready', 'error', 'cancelled']), 'ready')

  await page.click('#list-refresh')
  const row = page.locator('#templates tbody tr', { hasText: name })
  await row.waitFor()
  assert.match(await row.textContent(), /ready/)

  // Tags: list, assign, remove.
  await row.getByRole('button', { name: `Tags of ${name}` }).click()
  await page.waitForSelector('#tags li')
  assert.match(await page.textContent('#tags'), /v1/)
  await page.fill('#tags-target', `${name}:v1`)
  await page.fill('#tags-names', 'production')
  await page.click('#tags-assign')
  await page.waitForFunction(() => document.querySelector('#tags').textContent.includes('production'))
  await page.click('#tags li:has-text("production") button')
  await page.waitForFunction(() => /Removed production/.test(document.querySelector('#tags-result').textContent))
  await page.waitForFunction(() => !document.querySelector('#tags').textContent.includes('production') && document.querySelector('#tags').textContent.includes('v1'))

  // Sandbox from the ready template, then kill it.
  await row.getByRole('button', { name: `Start a sandbox from ${name}` }).click()
  const sbx = page.locator('#sandboxes li')
  await sbx.waitFor()
  await sbx.getByRole('button', { name: /Kill sandbox/ }).click()
  await page.waitForFunction(() => document.querySelectorAll('#sandboxes li').length === 0 && /killed/.test(document.querySelector('#sbx-result').textContent))

  // Delete takes two clicks.
  await row.getByRole('button', { name: `Delete template ${name}` }).click()
  await row.getByRole('button', { name: `Delete template ${name}` }).click()
  await page.waitForFunction((n) => /Deleted/.test(document.querySelector('#list-result').textContent) && ![...document.querySelectorAll('#templates tbody tr')].some((r) => r.textContent.includes(n)), name)
  assert.deepEqual(problems, [])
})

test('a wrong API key says to check the key; the key is not stored unless asked', T, async (t) => {
  const { page, problems } = await openDemo(t)
  await page.click('#connection summary')
  await page.fill('#api-key', 'wrong-key')
  await page.dispatchEvent('#api-key', 'change')
  await removeStep(page, 'copy')
  await page.click('#build')
  assert.equal(await waitStatus(page, ['ready', 'error', 'cancelled']), 'error')
  assert.match(await page.textContent('#build-error'), /check the API key/i)
  await page.click('#list-refresh')
  await page.waitForFunction(() => /check the API key/i.test(document.querySelector('#list-result').textContent))
  assert.equal(await page.evaluate(() => localStorage.length), 0)
  await page.check('#remember')
  assert.match(await page.evaluate(() => localStorage.getItem('novita-template-demo.connection')), /wrong-key/)
  await page.reload()
  await page.waitForSelector('body[data-ready]')
  assert.equal(await page.inputValue('#api-key'), 'wrong-key')
  await page.click('#connection summary')
  await page.uncheck('#remember')
  assert.equal(await page.evaluate(() => localStorage.length), 0)
  assert.deepEqual(problems, [])
})

test('an unreachable API URL says to check the URL and the server', T, async (t) => {
  const { page, problems } = await openDemo(t)
  const port = await new Promise((resolve) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)) })
  })
  await page.click('#connection summary')
  await page.fill('#api-url', `http://127.0.0.1:${port}`)
  await page.dispatchEvent('#api-url', 'change')
  await page.click('#conn-test')
  // The package retries network failures for a while before giving up.
  await page.waitForFunction(() => /Could not reach the API/.test(document.querySelector('#conn-result').textContent), null, { timeout: 45000 })
  assert.match(await page.textContent('#conn-result'), /Check the API URL/)
  assert.deepEqual(problems, [])
})

test('fits a phone-width screen without sideways scrolling', T, async (t) => {
  const { page, problems } = await openDemo(t, { width: 390, height: 844 })
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`)
  await page.screenshot({ path: join(artifacts, 'demo-phone.png'), fullPage: true })
  assert.deepEqual(problems, [])
})
