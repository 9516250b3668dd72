// The log's tools: the failing step's lines highlighted, Retry, search, filter by
// level, download as text, and copy buttons for the template and build ids.
import { test } from 'node:test'
import { readFileSync } from 'node:fs'
import { assert, useDemo, openDemo, T, run, waitStatus, removeStep, addStep, setName, focused, ENDED } from './demo-harness.mjs'

const demo = useDemo()
const visibleLines = (page) => page.$$eval('#log .line:not([hidden])', (ls) => ls.map((l) => ({ cls: l.className, msg: l.querySelector('.msg').textContent })))

async function failingBuild(page, name) {
  await setName(page, name)
  await removeStep(page, 'copy')
  await addStep(page, 'runCmd', { cmd: `echo first ${run} ${'x'.repeat(900)}` })
  await addStep(page, 'runCmd', { cmd: `echo __fail__ ${name}` })
  await addStep(page, 'runCmd', { cmd: `echo never ${run}` })
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'failed')
}

test('after a failure the failing step\'s lines are highlighted, Retry has focus and builds again', T, async (t) => {
  const { page, problems, requests } = await openDemo(demo, t)
  await failingBuild(page, `e2e-retry-${run}`)
  const marked = await page.$$eval('#log .line.failed-step', (ls) => ls.map((l) => l.querySelector('.msg').textContent))
  // Exactly the step's lines: its header, its output and the error that ends it.
  assert.ok(marked.length >= 3, `the failing step's lines are marked: ${marked}`)
  assert.match(marked[0], /^\[builder 3\/\d+\] RUN echo __fail__ /)
  for (const m of marked.slice(1)) assert.doesNotMatch(m, /^(CACHED )?\[/, 'no line of another step')
  assert.match(marked.at(-1), /^RUN step 3 failed: /)
  const flags = await page.$$eval('#log .line', (ls) => ls.map((l) => l.classList.contains('failed-step')))
  const firstMarked = flags.indexOf(true)
  assert.deepEqual(flags.slice(firstMarked, firstMarked + marked.length), marked.map(() => true), 'the marked lines are consecutive')
  assert.equal(await focused(page), 'BUTTON#retry', 'focus on Retry after the failure')
  // "Show step 3 in the log" scrolls to the first marked line.
  await page.evaluate(() => { document.querySelector('#log').scrollTop = document.querySelector('#log').scrollHeight })
  await page.click('#show-step')
  const shown = await page.evaluate(() => {
    const log = document.querySelector('#log').getBoundingClientRect()
    const line = document.querySelector('#log .line.failed-step').getBoundingClientRect()
    return line.top >= log.top && line.bottom <= log.bottom
  })
  assert.ok(shown, 'the failing step is in view in the log')

  const posts = () => requests.filter((u) => /\/v3\/templates$/.test(u)).length
  const before = posts()
  await page.click('#retry')
  assert.equal(await waitStatus(page, ENDED), 'failed')
  assert.equal(posts(), before + 1, 'Retry requested a new build')
  assert.deepEqual(problems, [])
})

test('search and level filter narrow the log; the download holds the whole log as text', T, async (t) => {
  const { page, problems } = await openDemo(demo, t, { acceptDownloads: true })
  const name = `e2e-tools-${run}`
  await failingBuild(page, name)
  const total = await page.locator('#log .line').count()

  await page.fill('#log-search', 'echo first')
  const found = await visibleLines(page)
  const regular = found.filter((l) => !/\b(end|outcome)\b/.test(l.cls))
  assert.ok(regular.length >= 1)
  for (const l of regular) assert.match(l.msg, /echo first/)
  assert.match(await page.textContent('#log-count'), new RegExp(`^${found.length} of ${total} lines shown$`))
  assert.equal(await page.locator('#log mark').first().textContent(), 'echo first')
  await page.fill('#log-search', '')

  // A very long line shows its start and a button for the rest.
  const long = page.locator('#log .line', { hasText: 'RUN echo first' }).first()
  assert.ok((await long.locator('.msg').textContent()).length < 500)
  await long.getByRole('button', { name: /show all \d+ characters/ }).click()
  assert.match(await page.locator('#log .line', { hasText: 'RUN echo first' }).first().locator('.msg').textContent(), /x{900}/)

  await page.selectOption('#log-level', 'error')
  const errors = (await visibleLines(page)).filter((l) => !/\b(end|outcome)\b/.test(l.cls))
  assert.ok(errors.length >= 1)
  for (const l of errors) assert.match(l.cls, /lvl-error/)
  await page.selectOption('#log-level', 'debug')
  assert.equal(await page.textContent('#log-count'), `${total} lines`)

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#log-download')])
  // Named by the build (the failed build's id is known: the package names it).
  const { buildId } = Object.fromEntries(new URL(page.url()).searchParams)
  assert.ok(buildId)
  assert.match(download.suggestedFilename(), new RegExp(`^build-${buildId}-\\d{8}-\\d{6}\\.log$`))
  const text = readFileSync(await download.path(), 'utf8')
  const lines = text.trimEnd().split('\n')
  assert.equal(lines.length, total)
  for (const l of lines) assert.match(l, /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] \[(debug|info|warn|error)\] /)
  assert.match(text, /\[error\] .*__fail__/)
  assert.match(text, /\[debug\] --- end of build log ---\n.*\[error\] Outcome: failed at step 3/)
  assert.doesNotMatch(text, /Build finished/)
  assert.deepEqual(problems, [])
})

test('copy buttons put the template and build ids on the clipboard', T, async (t) => {
  const { context, page, problems } = await openDemo(demo, t)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.baseUrl })
  await setName(page, `e2e-copy-ids-${run}`)
  await removeStep(page, 'copy')
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'ready')
  const { templateId, buildId } = Object.fromEntries(new URL(page.url()).searchParams)
  for (const [what, id] of [['template ID', templateId], ['build ID', buildId]]) {
    const button = page.locator('#build-result').getByRole('button', { name: `Copy ${what} ${id}` })
    await button.click()
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), id)
    assert.equal(await button.textContent(), 'Copied')
  }
  assert.deepEqual(problems, [])
})
