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
// End-to-end test of the demo page (www/): the basic flows (preview, builds with
// files, failure, background build across a reload and two tabs, log follow, text-only log, templates/tags/sandboxes, wrong key, unreachable API).
// The other demo-*.test.mjs files cover the build console's specific behaviours.
//
//   node --test tests/e2e/           (after `make build` and `cargo build -p novita-emulator`)
import { test } from 'node:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assert, useDemo, openDemo as open, watchPage, artifacts, WAIT, T, run, status, logText, waitStatus, removeStep, addStep, setName, deadPort, ENDED } from './demo-harness.mjs'

const demo = useDemo()
const openDemo = (t, opts) => open(demo, t, opts)

test('opens with the example template, the emulator connection and a live preview', T, async (t) => {
  const { page, problems } = await openDemo(t)
  assert.equal(await page.inputValue('#api-url'), demo.baseUrl)
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
  const envMessage = page.locator('#steps li[data-type="setEnvs"] .field-msg')
  await envMessage.waitFor()
  assert.match(await envMessage.textContent(), /Step 3 \(setEnvs\): line 1: "not a pair" is not KEY=value/)
  await page.fill('#steps li[data-type="setEnvs"] [data-field="envs"]', 'APP_ENV=demo')
  await envMessage.waitFor({ state: 'detached' })
  assert.match(await page.textContent('#preview'), /^ENV APP_ENV=demo$/m)

  // Other bases: a pasted Dockerfile, and a template (which has no Dockerfile form).
  await page.selectOption('#base-kind', 'dockerfile')
  await page.fill('#base-dockerfile', 'FROM node:22-slim\nRUN npm install -g pnpm\n')
  await page.waitForFunction(() => document.querySelector('#preview').textContent.startsWith('FROM node:22-slim'))
  assert.match(await page.textContent('#preview'), /^RUN npm install -g pnpm$/m)
  await page.selectOption('#base-kind', 'template')
  await page.waitForFunction(() => document.querySelector('#preview').textContent.includes('No Dockerfile preview'))
  assert.equal(await page.locator('.field-msg').count(), 0)
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
  const final = await waitStatus(page, ENDED)
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
  assert.equal(await waitStatus(page, ENDED), 'failed')
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
  const { problems: problems2 } = watchPage(second)
  await Promise.all([page.reload(), second.goto(url.href)])
  for (const p of [page, second]) {
    await p.waitForSelector('body[data-ready]')
    await p.waitForSelector('#build-banner:not([hidden])')
    assert.match(await p.textContent('#build-banner'), new RegExp(buildId))
  }
  const seenAfterReload = await status(page)
  t.diagnostic(`status right after the reload: ${seenAfterReload}`)
  assert.equal(await waitStatus(page, ['ready', 'failed']), 'ready')
  assert.equal(await waitStatus(second, ['ready', 'failed']), 'ready')
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
  assert.equal(await waitStatus(page, ENDED), 'ready')
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
  assert.equal(await waitStatus(page, ENDED), 'ready')
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
  assert.equal(await waitStatus(page, ENDED), 'ready')

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
  assert.equal(await waitStatus(page, ENDED), 'failed')
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
  const port = await deadPort()
  await page.click('#connection summary')
  await page.fill('#api-url', `http://127.0.0.1:${port}`)
  await page.dispatchEvent('#api-url', 'change')
  await page.click('#conn-test')
  // The package retries network failures for a while before giving up.
  await page.waitForFunction(() => /Could not reach the API/.test(document.querySelector('#conn-result').textContent), null, { timeout: 45000 })
  assert.match(await page.textContent('#conn-result'), /Check the API URL/)
  assert.deepEqual(problems, [])
})
