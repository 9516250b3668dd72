// Regenerates the screenshots of the demo page in docs/screenshots/:
//   node tests/e2e/update-screenshots.mjs
// demo-building.png: the example template mid-build (laptop size);
// demo-progress.png: a 16-step rebuild mid-way: "step k of N", the bar, cached steps
//                    and each step's duration;
// demo-failed.png:   after a step that ran out of memory: the reason's hint and the
//                    failing step highlighted in the log;
// demo-phone.png:    phone width, mid-build, with the action bar and the log;
// demo-dark.png:     dark mode (prefers-color-scheme: dark) after a build.
// Slow emulator steps so "mid-build" is easy to catch. Needs pkg/ (make build) and the
// emulator binary. Not a test (no .test. in the name).
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot, startEmulator, stopEmulator, launchBrowser } from './demo-harness.mjs'

const out = join(repoRoot, 'docs/screenshots')
const pkg = process.env.PKG_DIR || join(repoRoot, 'pkg')
if (!existsSync(join(pkg, 'web/index.js'))) throw new Error(`${pkg} has no build: run make build`)
mkdirSync(out, { recursive: true })

const { child, url } = await startEmulator({ pkg, stepMs: 900 })
let browser
try {
  browser = await launchBrowser()
  const open = async (options) => {
    const page = await browser.newPage({ timezoneId: 'Europe/Paris', locale: 'en-GB', ...options })
    page.setDefaultTimeout(90000)
    await page.goto(url + '/')
    await page.waitForSelector('body[data-ready]')
    return page
  }
  const ended = (page) => page.waitForFunction(() => !['building', 'requesting', 'uploading', 'waiting'].includes(document.querySelector('#status').textContent))
  const started = (page, step) => page.waitForSelector(`#step-list li[data-step="${step}"]`, { state: 'attached' })
  const addRun = async (page, cmd) => {
    await page.selectOption('#step-type', 'runCmd')
    await page.click('#step-add')
    await page.locator('#steps > li').last().locator('[data-field="cmd"]').fill(cmd)
  }

  const page = await open({ viewport: { width: 1280, height: 960 } })
  await page.click('#build')
  await started(page, '1')
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(out, 'demo-building.png') })
  await ended(page)

  // A longer template built once, then again with its 9th step changed: the first
  // steps come from the cache, the rest are built again.
  await page.fill('#tpl-name', 'demo-progress-app')
  const steps = ['apt-get install -y git curl', 'pip install requests', 'python -m compileall /home/user', 'mkdir -p /home/user/data',
    'git clone --depth 1 https://github.com/octocat/Hello-World.git /home/user/hello', 'pip install gunicorn', 'echo configure', 'echo migrate',
    'echo assets v1', 'echo warm cache', 'echo smoke test']
  for (const cmd of steps) await addRun(page, cmd)
  await page.click('#build')
  await ended(page)
  await page.locator('#steps li[data-type="runCmd"] [data-field="cmd"]').nth(8).fill('echo assets v2')
  await page.click('#build')
  await started(page, '11')
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(out, 'demo-progress.png') })
  await ended(page)
  await page.close()

  const failing = await open({ viewport: { width: 1280, height: 960 } })
  await failing.fill('#tpl-name', 'demo-failing-app')
  await addRun(failing, 'python -c "import app" && make __oom__')
  await failing.click('#build')
  await failing.waitForFunction(() => document.querySelector('#status').textContent === 'failed')
  await failing.click('#show-step')
  await failing.evaluate(() => window.scrollTo(0, 0))
  await failing.screenshot({ path: join(out, 'demo-failed.png') })
  await failing.close()

  const phone = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  await phone.fill('#tpl-name', 'demo-phone-app')
  await phone.click('#build')
  await started(phone, '2')
  await phone.screenshot({ path: join(out, 'demo-phone.png') })
  await ended(phone)
  await phone.close()

  const dark = await open({ viewport: { width: 1280, height: 960 }, colorScheme: 'dark' })
  await dark.fill('#tpl-name', 'demo-dark-app')
  await dark.click('#build')
  await ended(dark)
  await dark.evaluate(() => window.scrollTo(0, 0))
  await dark.screenshot({ path: join(out, 'demo-dark.png') })
  console.log(`wrote ${out}/demo-building.png, demo-progress.png, demo-failed.png, demo-phone.png and demo-dark.png`)
} finally {
  if (browser) await browser.close()
  await stopEmulator(child)
}
