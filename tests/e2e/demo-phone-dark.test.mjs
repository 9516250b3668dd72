// Phone width: no sideways scrolling, the Build button on the first screen and the
// log one tap away. Dark mode follows prefers-color-scheme with readable contrast.
import { test } from 'node:test'
import { join } from 'node:path'
import { assert, useDemo, openDemo, artifacts, T, run, waitStatus, removeStep, setName, ENDED } from './demo-harness.mjs'

const demo = useDemo()
const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true }

const inView = (page, sel) => page.evaluate((s) => {
  const r = document.querySelector(s).getBoundingClientRect()
  return { top: Math.round(r.top), bottom: Math.round(r.bottom), vh: window.innerHeight, ok: r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0 }
}, sel)

test('on a phone the Build button is on the first screen and the log is one tap away', T, async (t) => {
  const { page, problems } = await openDemo(demo, t, PHONE)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`)
  const build = await inView(page, '#build')
  assert.ok(build.ok, `Build button at ${build.top}-${build.bottom}px, screen ${build.vh}px`)
  // Still there after scrolling anywhere.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2))
  assert.ok((await inView(page, '#build')).ok, 'Build stays reachable while scrolling')
  await page.evaluate(() => window.scrollTo(0, 0))

  await page.click('#jump-log')
  const log = await page.evaluate(() => {
    const r = document.querySelector('#log').getBoundingClientRect()
    const bar = document.querySelector('#action-bar').getBoundingClientRect()
    return { top: r.top, visible: Math.min(r.bottom, bar.top) - Math.max(r.top, 0) }
  })
  assert.ok(log.top >= 0 && log.visible >= 200, `the log is on screen after one tap: ${JSON.stringify(log)}`)

  // Building from the bar brings the log into view too.
  await page.evaluate(() => window.scrollTo(0, 0))
  await setName(page, `e2e-phone-${run}`)
  await removeStep(page, 'copy')
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.click('#build')
  await page.waitForFunction(() => document.querySelectorAll('#log .line').length > 3)
  const during = await page.evaluate(() => document.querySelector('#log').getBoundingClientRect().top)
  assert.ok(during >= 0 && during < 844 / 2, `the log is in view while building (top ${during})`)
  assert.equal(await waitStatus(page, ENDED), 'ready')
  await page.screenshot({ path: join(artifacts, 'demo-phone.png') })
  assert.deepEqual(problems, [])
})

/** Contrast ratio (WCAG) of an element's text colour on its nearest opaque background. */
const contrast = (page, sel) => page.evaluate((s) => {
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number)
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4 }
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
  }
  const node = document.querySelector(s)
  let bgNode = node
  let bg = getComputedStyle(bgNode).backgroundColor
  while ((rgb(bg)[3] === 0 || bg === 'transparent') && bgNode.parentElement) { bgNode = bgNode.parentElement; bg = getComputedStyle(bgNode).backgroundColor }
  const [a, b] = [lum(rgb(getComputedStyle(node).color)), lum(rgb(bg))].sort((x, y) => y - x)
  return { ratio: (a + 0.05) / (b + 0.05), bgLum: lum(rgb(bg)) }
}, sel)

test('dark mode follows the system setting, with readable text everywhere', T, async (t) => {
  const { page, problems } = await openDemo(demo, t, { colorScheme: 'dark' })
  assert.ok((await contrast(page, 'main')).bgLum < 0.05, 'the page is dark from the start')
  await setName(page, `e2e-dark-${run}`)
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'ready')
  await page.fill('#tpl-tags', 'Bad Tag!') // a form message, to check its colours too
  await page.waitForSelector('.field-msg')
  const bodyBg = await contrast(page, 'main')
  assert.ok(bodyBg.bgLum < 0.05, `page background is dark (luminance ${bodyBg.bgLum.toFixed(3)})`)
  for (const sel of ['h1', '#def-title', 'legend', 'label', '.muted', 'input#tpl-name', 'button#build-bg', 'button#build', '#status', '#build-result', '.field-msg', '#templates td', '#log .line .msg', '#preview']) {
    const c = await contrast(page, sel)
    assert.ok(c.ratio >= 4.5, `${sel}: contrast ${c.ratio.toFixed(2)} is below 4.5`)
    if (!['#log .line .msg', 'button#build', '#status', '#build-result'].includes(sel)) assert.ok(c.bgLum < 0.05, `${sel} sits on a dark background (${c.bgLum.toFixed(3)})`)
  }
  await page.screenshot({ path: join(artifacts, 'demo-dark.png') })

  const { page: light } = await openDemo(demo, t, { colorScheme: 'light' })
  assert.ok((await contrast(light, 'main')).bgLum > 0.8, 'light by default')
  assert.deepEqual(problems, [])
})
