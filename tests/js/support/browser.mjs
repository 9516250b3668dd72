// Headless Debian Chromium driven by playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'chromium-profile-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return context
}

/** Opens `url`, waits for `window.__result` (set by the page), returns it. */
export async function runPage(context, url, { timeoutMs = 60000 } = {}) {
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  const crashed = new Promise((_, reject) => page.on('pageerror', (e) => reject(new Error(`page error: ${e}`))))
  await page.goto(url)
  try {
    await Promise.race([page.waitForFunction(() => window.__result !== undefined, null, { timeout: timeoutMs }), crashed])
  } catch (e) {
    await page.close()
    throw new Error(`page ${url} never set __result (${e.message}); errors: ${errors.join(' | ')}`)
  }
  const result = await page.evaluate(() => window.__result)
  await page.close()
  return { result, errors }
}
