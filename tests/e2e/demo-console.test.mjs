// A visitor's console stays clean: no failing request from Test connection, no public
// registry contacted by builds, and the log's end marker never claims a build
// "finished" when it failed, was cancelled or never reached the API. The last test
// runs a whole normal session and asserts that nothing at all went wrong.
import { test } from 'node:test'
import { assert, useDemo, openDemo, T, run, waitStatus, removeStep, addStep, setName, deadPort, stepStarted, ENDED } from './demo-harness.mjs'

const demo = useDemo()

const lastLines = (page, n) => page.evaluate((k) => [...document.querySelectorAll('#log .line')].slice(-k).map((l) => l.querySelector('.msg').textContent), n)
const foreign = (requests) => requests.filter((u) => !u.startsWith(demo.baseUrl + '/') && !u.startsWith('blob:') && !u.startsWith('data:'))

test('Test connection succeeds without a failing request', T, async (t) => {
  const { page, problems, noise } = await openDemo(demo, t)
  await page.click('#connection summary')
  await page.click('#conn-test')
  await page.waitForFunction(() => /Connected/.test(document.querySelector('#conn-result').textContent))
  assert.deepEqual(noise, [])
  assert.deepEqual(problems, [])
})

test('builds from Python, Node and Dockerfile bases contact no public registry and log no error', T, async (t) => {
  const { page, problems, noise, requests } = await openDemo(demo, t)
  await removeStep(page, 'copy')
  await removeStep(page, 'pipInstall')
  const bases = [
    ['python', () => page.fill('#base-value', '3.12')],
    ['node', () => page.fill('#base-value', 'lts')],
    ['dockerfile', () => page.fill('#base-dockerfile', `FROM python:3.12\nRUN echo from-dockerfile ${run}\n`)],
  ]
  for (const [kind, fill] of bases) {
    await setName(page, `e2e-reg-${kind}-${run}`)
    await page.selectOption('#base-kind', kind)
    await fill()
    if (kind === 'node') await page.fill('#start-cmd', 'node server.js')
    await page.click('#build')
    assert.equal(await waitStatus(page, ENDED), 'ready', kind)
    assert.doesNotMatch(await page.textContent('#log'), /Could not read/, `${kind}: the image config was read`)
  }
  assert.ok(requests.some((u) => u.startsWith(`${demo.baseUrl}/registry/`)), 'the emulator registry was used')
  assert.deepEqual(foreign(requests), [], 'no request left the page\'s origin')
  assert.deepEqual(noise, [])
  assert.deepEqual(problems, [])
})

test('the package\'s end-of-log entry is a neutral marker; the outcome line tells failed, cancelled and unreachable apart', T, async (t) => {
  const { page, problems } = await openDemo(demo, t)
  await removeStep(page, 'copy')

  await setName(page, `e2e-end-fail-${run}`)
  await addStep(page, 'runCmd', { cmd: `echo __fail__ ${run}` })
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'failed')
  assert.doesNotMatch(await page.textContent('#log'), /Build finished/, 'a failed build did not "finish"')
  let [end, outcome] = await lastLines(page, 2)
  assert.equal(end, 'end of build log')
  assert.match(outcome, /^Outcome: failed at step 2 \(runCmd\("echo __fail__/)
  assert.equal(await page.locator('#log .line.end').count(), 1)

  await removeStep(page, 'runCmd')
  for (let i = 0; i < 16; i++) await addStep(page, 'runCmd', { cmd: `echo end-cancel ${i} ${run}` })
  await setName(page, `e2e-end-cancel-${run}`)
  await page.click('#build')
  await stepStarted(page, '1')
  await page.click('#cancel')
  assert.equal(await waitStatus(page, ENDED), 'cancelled')
  assert.doesNotMatch(await page.textContent('#log'), /Build finished/)
  ;[end, outcome] = await lastLines(page, 2)
  assert.equal(end, 'end of build log')
  assert.match(outcome, /^Outcome: cancelled\. The build was aborted: its template \w+, which this build created, was deleted/)

  await page.click('#connection summary')
  await page.fill('#api-url', `http://127.0.0.1:${await deadPort()}`)
  await page.dispatchEvent('#api-url', 'change')
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED, 60000), 'unreachable')
  assert.doesNotMatch(await page.textContent('#log'), /Build finished/)
  ;[outcome] = await lastLines(page, 1)
  assert.match(outcome, /^Outcome: unreachable: Could not reach the API at http:\/\/127\.0\.0\.1:\d+/)
  assert.match(await page.textContent('#build-error'), /Check the API URL/)
  assert.equal(await page.locator('#retry').count(), 1, 'Retry is offered')
  assert.deepEqual(problems, [])
})

test('a whole normal session (connect, build, plan, log tools, background build, tags, sandbox, delete) logs no error and no failed request', T, async (t) => {
  const { page, problems, noise, requests } = await openDemo(demo, t)
  const name = `e2e-session-${run}`
  // Connect.
  await page.click('#connection summary')
  await page.click('#conn-test')
  await page.waitForFunction(() => /Connected/.test(document.querySelector('#conn-result').textContent))
  // Build the example as it opens (pip step, in-memory app.py, start and ready commands).
  await setName(page, name)
  await page.fill('#steps li[data-type="pipInstall"] [data-field="packages"]', `flask e2e-${run}`)
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'ready')
  // The plan of the next build (the name now exists, so its look-up succeeds), and the log tools.
  await page.click('#plan-card summary')
  await page.click('#plan-run')
  await page.waitForFunction(() => /already on the server: 1$/.test(document.querySelector('#plan-summary')?.textContent || ''))
  await page.fill('#log-search', 'pip')
  await page.selectOption('#log-level', 'info')
  await page.click('#log-zone')
  await page.click('#log-download')
  await page.fill('#log-search', '')
  // A background build of the same template, watched to its end.
  await page.fill('#tpl-tags', 'v2')
  await addStep(page, 'runCmd', { cmd: `echo background ${run}` })
  await page.click('#build-bg')
  await page.waitForURL(/buildId=/)
  assert.equal(await waitStatus(page, ENDED), 'ready')
  // Tags: list (the source is pre-filled from them), assign, remove.
  const row = page.locator('#templates tbody tr', { hasText: name })
  await row.getByRole('button', { name: `Tags of ${name}` }).click()
  await page.waitForSelector('#tags li')
  await page.fill('#tags-names', 'production')
  await page.click('#tags-assign')
  await page.waitForFunction(() => /Assigned production/.test(document.querySelector('#tags-result').textContent))
  await page.click('#tags li:has-text("production") button.danger')
  await page.waitForFunction(() => /Removed production/.test(document.querySelector('#tags-result').textContent))
  // A sandbox from the template, then kill it.
  await row.getByRole('button', { name: `Start a sandbox from ${name}` }).click()
  await page.locator('#sandboxes li').waitFor()
  await page.getByRole('button', { name: /Kill sandbox/ }).click()
  await page.waitForFunction(() => /killed/.test(document.querySelector('#sbx-result').textContent))
  // Delete the template.
  await row.getByRole('button', { name: `Delete template ${name}` }).click()
  await row.getByRole('button', { name: `Delete template ${name}` }).click()
  await page.waitForFunction(() => /Deleted/.test(document.querySelector('#list-result').textContent))

  assert.deepEqual(noise, [], 'console errors, warnings, failed requests or HTTP errors')
  assert.deepEqual(foreign(requests), [])
  assert.deepEqual(problems, [])
})
