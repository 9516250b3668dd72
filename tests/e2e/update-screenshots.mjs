// Regenerates the screenshots of the demo page in docs/screenshots/:
//   node tests/e2e/update-screenshots.mjs
// demo-building.png: the example template mid-build (laptop size);
// demo-failed.png:   after a failing runCmd, the failing step highlighted in the log;
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
    page.setDefaultTimeout(60000)
    await page.goto(url + '/')
    await page.waitForSelector('body[data-ready]')
    return page
  }
  const ended = (page) => page.waitForFunction(() => !['building', 'requesting', 'waiting'].includes(document.querySelector('#status').textContent))

  const page = await open({ viewport: { width: 1280, height: 960 } })
  await page.click('#build')
  await page.waitForFunction(() => /\[1\] RUN/.test(document.querySelector('#log').textContent))
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(out, 'demo-building.png') })
  await ended(page)

  await page.fill('#tpl-name', 'demo-failing-app')
  await page.selectOption('#step-type', 'runCmd')
  await page.click('#step-add')
  await page.locator('#steps > li').last().locator('[data-field="cmd"]').fill('python -c "import app" && echo __fail__')
  await page.click('#build')
  await page.waitForFunction(() => document.querySelector('#status').textContent === 'failed')
  await page.click('#show-step')
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(out, 'demo-failed.png') })
  await page.close()

  const phone = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  await phone.fill('#tpl-name', 'demo-phone-app')
  await phone.click('#build')
  await phone.waitForFunction(() => /\[2\] COPY/.test(document.querySelector('#log').textContent))
  await phone.screenshot({ path: join(out, 'demo-phone.png') })
  await ended(phone)
  await phone.close()

  const dark = await open({ viewport: { width: 1280, height: 960 }, colorScheme: 'dark' })
  await dark.fill('#tpl-name', 'demo-dark-app')
  await dark.click('#build')
  await ended(dark)
  await dark.evaluate(() => window.scrollTo(0, 0))
  await dark.screenshot({ path: join(out, 'demo-dark.png') })
  console.log(`wrote ${out}/demo-building.png, demo-failed.png, demo-phone.png and demo-dark.png`)
} finally {
  if (browser) await browser.close()
  await stopEmulator(child)
}
