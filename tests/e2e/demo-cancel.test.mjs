// Cancel works in every phase of a build and says what happened on the server (the
// package's AbortError.serverBuild), and the server agrees, as the package reports
// it from the page: while the build is requested (nothing started, or the template
// it created deleted), after the server created it (its ids shown at once) and while
// it runs (it goes on, or its new template is deleted). The log never says the build
// finished, and the templates list follows without a manual refresh.
import { test } from 'node:test'
import { assert, useDemo, openDemo, T, run, waitStatus, removeStep, addStep, setName, stepStarted, templateNames, ENDED } from './demo-harness.mjs'

const demo = useDemo()

const params = (page) => Object.fromEntries(new URL(page.url()).searchParams)
const lastLines = (page, n) => page.evaluate((k) => [...document.querySelectorAll('#log .line')].slice(-k).map((l) => l.querySelector('.msg').textContent), n)
const listed = (page, name) => page.evaluate((n) => [...document.querySelectorAll('#templates tbody tr')].some((r) => r.cells[0].textContent === n), name)

/** A build's status on the server, asked through the package from the page. */
const serverStatus = (page, ids) => page.evaluate(async (b) => {
  const api = await import('/pkg/web/index.js')
  return (await api.Template.getBuildStatus(b, { apiUrl: location.origin, apiKey: 'demo-key' })).status
}, ids)

/** Holds every request matching `pattern` (with `method`) until released; resolves the first once it is held. */
function hold(page, pattern, method) {
  const held = []
  let first
  const seen = new Promise((resolve) => { first = resolve })
  page.route(pattern, (route) => {
    if (route.request().method() !== method) return route.fallback()
    held.push(route)
    first(route)
  })
  return {
    seen,
    release: async () => {
      await page.unroute(pattern)
      for (const r of held) await r.continue().catch(() => {}) // an aborted request is already gone
    },
  }
}

const HELD = { create: ['**/v3/templates', 'POST'], trigger: ['**/v2/templates/*/builds/*', 'POST'] }

/** Names the build, sets what Cancel does, clicks `button`; returns once the `at` request is held. */
async function startHeld(page, { name, deleteOnAbort, button, at }) {
  await setName(page, name)
  await page.setChecked('#tpl-delete-on-abort', deleteOnAbort)
  const held = hold(page, ...HELD[at])
  await page.click(button)
  await held.seen
  return held
}

/** The ids in the banner's link, which appears as soon as the server created the build. */
async function bannerIds(page) {
  await page.waitForSelector('#build-banner a')
  return Object.fromEntries(new URL(await page.getAttribute('#build-banner a', 'href')).searchParams)
}

/** The build ended cancelled; the result box and the log's outcome say `said` (the package's message). */
async function endsCancelled(page, said) {
  assert.equal(await waitStatus(page, ENDED), 'cancelled')
  const [end, outcome] = await lastLines(page, 2)
  assert.equal(end, 'end of build log')
  assert.match(outcome, new RegExp(`^Outcome: cancelled\\. ${said.source}`))
  assert.match(await page.textContent('#build-result'), new RegExp(`^${said.source}`))
  assert.doesNotMatch(await page.textContent('#log'), /Build finished/)
  assert.deepEqual(params(page), {}, 'the address names no build')
  assert.equal(await page.isEnabled('#build'), true)
}

test('Cancel while the build is requested: nothing starts, or the template the server created is deleted', T, async (t) => {
  const { page, problems } = await openDemo(demo, t)
  await removeStep(page, 'copy')

  // Without deleteOnAbort: the request is dropped and the server never sees it.
  const name1 = `e2e-cancel-req1-${run}`
  let post = await startHeld(page, { name: name1, deleteOnAbort: false, button: '#build-bg', at: 'create' })
  assert.equal(await page.textContent('#status'), 'requesting')
  assert.match(await page.textContent('#build-banner'), new RegExp(`Requesting a build of "${name1}" to run in the background`))
  assert.equal(await page.isEnabled('#cancel'), true, 'Cancel works while requesting')
  await page.click('#cancel')
  await endsCancelled(page, /The build was aborted: no build was started on the server/)
  await post.release()

  // With deleteOnAbort (the default): the page waits for the server's answer, then
  // deletes the template it created.
  const name2 = `e2e-cancel-req2-${run}`
  post = await startHeld(page, { name: name2, deleteOnAbort: true, button: '#build-bg', at: 'create' })
  await page.click('#cancel')
  assert.equal(await page.textContent('#cancel'), 'Cancelling…')
  assert.equal(await page.textContent('#status'), 'requesting', 'the page waits for the server to answer')
  await post.release()
  await endsCancelled(page, /The build was aborted: its template \w+, which this build created, was deleted/)

  const names = await templateNames(page)
  assert.ok(!names.includes(name1) && !names.includes(name2), `neither template is on the server: ${names}`)
  assert.deepEqual(problems, [])
})

test('Cancel after the server created the build: its ids are shown at once; the server keeps it unstarted, or its template is deleted; a reload then starts nothing', T, async (t) => {
  const { page, problems } = await openDemo(demo, t)
  await removeStep(page, 'copy')

  // Foreground, deleteOnAbort: held before the trigger, the build is named at once.
  const name1 = `e2e-cancel-ids1-${run}`
  let trigger = await startHeld(page, { name: name1, deleteOnAbort: true, button: '#build', at: 'trigger' })
  const ids1 = await bannerIds(page)
  assert.match(await page.textContent('#build-banner'), new RegExp(`^Building build ${ids1.buildId}Copy of template ${ids1.templateId}Copy in this tab`))
  assert.match(await page.textContent('#log'), new RegExp(`Template created with ID: ${ids1.templateId}`))
  assert.equal(await page.textContent('#status'), 'uploading')
  assert.deepEqual(params(page), {}, 'not yet in the address: a reload now would leave the build unstarted')
  await page.click('#cancel')
  await endsCancelled(page, new RegExp(`The build was aborted: its template ${ids1.templateId}, which this build created, was deleted`))
  await trigger.release()
  assert.ok(!(await templateNames(page)).includes(name1), 'the template is gone')

  // In the background, without deleteOnAbort: the build stays unstarted on the server.
  trigger = await startHeld(page, { name: `e2e-cancel-ids2-${run}`, deleteOnAbort: false, button: '#build-bg', at: 'trigger' })
  const ids2 = await bannerIds(page)
  assert.match(await page.textContent('#build-banner'), new RegExp(`^Starting build ${ids2.buildId}Copy of template ${ids2.templateId}Copy in the background`))
  await page.click('#cancel')
  await endsCancelled(page, new RegExp(`The build was aborted: the build was never started, so nothing runs on the server \\(template ${ids2.templateId}, build ${ids2.buildId}\\)`))
  await trigger.release()
  assert.equal(await serverStatus(page, ids2), 'waiting', 'the server never started it')

  // A reload before the build runs: the address did not name it yet, so the page opens
  // idle, and the server never starts it (nothing runs that the page lost).
  trigger = await startHeld(page, { name: `e2e-cancel-ids3-${run}`, deleteOnAbort: false, button: '#build-bg', at: 'trigger' })
  const ids3 = await bannerIds(page)
  await page.reload()
  await page.waitForSelector('body[data-ready]')
  await trigger.release()
  assert.deepEqual(params(page), {})
  assert.equal(await page.textContent('#status'), 'idle')
  assert.equal(await serverStatus(page, ids3), 'waiting')
  assert.deepEqual(problems, [])
})

test('Cancel while building: the build goes on on the server and "Watch it" follows it, or its new template is deleted', T, async (t) => {
  const { page, problems } = await openDemo(demo, t)
  await removeStep(page, 'copy')
  for (let i = 1; i <= 12; i++) await addStep(page, 'runCmd', { cmd: `echo cancel ${i} ${run}` })

  // Without deleteOnAbort: the API has no cancel, and the page says so.
  const name1 = `e2e-cancel-run1-${run}`
  await setName(page, name1)
  await page.uncheck('#tpl-delete-on-abort')
  await page.click('#build')
  await page.waitForURL(/buildId=/)
  const ids = params(page)
  await stepStarted(page, '2')
  await page.click('#cancel')
  await endsCancelled(page, new RegExp(`The build was aborted: the build goes on on the server \\(template ${ids.templateId}, build ${ids.buildId}\\): the API has no cancel; it reached step \\d+ of \\d+`))
  assert.match(await page.textContent('#build-banner'), new RegExp(`Cancelled here: build ${ids.buildId}Copy of template ${ids.templateId}Copy goes on on the server`))
  // The list refreshed by itself and shows the template; the server finishes the build.
  await page.waitForFunction((n) => [...document.querySelectorAll('#templates tbody tr')].some((r) => r.cells[0].textContent === n), name1)
  assert.notEqual(await serverStatus(page, ids), 'error')
  await page.click('#watch-again')
  assert.equal(await waitStatus(page, ENDED), 'ready')
  assert.deepEqual(params(page), ids)
  assert.equal(await serverStatus(page, ids), 'ready')

  // With deleteOnAbort (the default): the template this build created is deleted.
  // A new first command: the same steps would all come from the cache of the build
  // above and finish before Cancel could be clicked.
  const name2 = `e2e-cancel-run2-${run}`
  await setName(page, name2)
  await page.locator('#steps li[data-type="runCmd"] [data-field="cmd"]').first().fill(`echo cancel run2 ${run}`)
  await page.check('#tpl-delete-on-abort')
  await page.click('#build')
  await stepStarted(page, '2')
  await page.click('#cancel')
  await endsCancelled(page, /The build was aborted: its template \w+, which this build created, was deleted/)
  await page.waitForFunction((n) => /template/.test(document.querySelector('#list-result').textContent) && ![...document.querySelectorAll('#templates tbody tr')].some((r) => r.cells[0].textContent === n), name2)
  assert.equal(await listed(page, name1), true)
  assert.ok(!(await templateNames(page)).includes(name2))
  assert.deepEqual(problems, [])
})
