// Regenerates the README screenshots of the demo page (docs/screenshots/):
//   node tests/e2e/update-screenshots.mjs [--without-copy]
// demo-building.png: the example template mid-build; demo-failed.png: after a
// failing runCmd. Laptop size, slow emulator steps so "mid-build" is easy to catch.
// Needs pkg/ (make build) and the emulator binary. Not a test (no .test. in the name).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const out = join(repoRoot, 'docs/screenshots')
const withoutCopy = process.argv.includes('--without-copy')
const pkg = process.env.PKG_DIR || join(repoRoot, 'pkg')
const bin = process.env.NOVITA_EMULATOR_BIN || join(repoRoot, 'target/debug/novita-emulator')
if (!existsSync(join(pkg, 'web/index.js'))) throw new Error(`${pkg} has no build: run make build`)
mkdirSync(out, { recursive: true })

const emulator = spawn(bin, ['--listen', '127.0.0.1:0', '--api-key', 'demo-key', '--step-ms', '900', '--serve', join(repoRoot, 'www'), '--serve-pkg', pkg], { stdio: ['ignore', 'pipe', 'ignore'] })
let browser
try {
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulator did not start in 20 s')), 20000)
    let text = ''
    emulator.stdout.on('data', (d) => {
      text += d
      const m = /listening on (http:\/\/\S+)/.exec(text)
      if (m) { clearTimeout(timer); resolve(m[1]) }
    })
  })
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, timeout: 30000, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
  const page = await browser.newPage({ viewport: { width: 1280, height: 960 } })
  page.setDefaultTimeout(30000)
  await page.goto(url + '/')
  await page.waitForSelector('body[data-ready]')
  if (withoutCopy) await page.click('#steps li[data-type="copy"] button[data-act="remove"]')

  await page.click('#build')
  await page.waitForFunction(() => /\[1\] RUN/.test(document.querySelector('#log').textContent))
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(out, 'demo-building.png') })
  await page.waitForFunction(() => document.querySelector('#status').textContent !== 'building', null, { timeout: 60000 })

  await page.fill('#tpl-name', 'demo-failing-app')
  await page.selectOption('#step-type', 'runCmd')
  await page.click('#step-add')
  await page.locator('#steps > li').last().locator('[data-field="cmd"]').fill('python -c "import app" && echo __fail__')
  await page.click('#build')
  await page.waitForFunction(() => document.querySelector('#status').textContent === 'error', null, { timeout: 60000 })
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(out, 'demo-failed.png') })
  console.log(`wrote ${out}/demo-building.png and demo-failed.png`)
} finally {
  if (browser) await browser.close()
  emulator.kill('SIGTERM')
}
