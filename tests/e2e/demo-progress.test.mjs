// Progress as build consoles show it, from the package's progress events: "k of N"
// with a bar while building, each step's state and duration, cached steps marked on a
// rebuild, a final state that clears the step label; a failure's reason and hint with
// the failing step; and the optional deadline (timeoutMs), after which the build goes
// on on the server and can be watched to its end.
import { test } from 'node:test'
import { assert, useDemo, openDemo, T, run, waitStatus, removeStep, addStep, setName, focused, ENDED } from './demo-harness.mjs'

const demo = useDemo()

const params = (page) => Object.fromEntries(new URL(page.url()).searchParams)
const rows = (page) => page.$$eval('#step-list li', (ls) => ls.map((l) => ({
  step: l.dataset.step, state: l.dataset.state, cached: l.dataset.cached === 'true',
  pos: l.querySelector('.step-pos').textContent, desc: l.querySelector('.step-desc').textContent, time: l.querySelector('.step-time').textContent,
})))
const bar = (page) => page.$eval('#build-progress', (b) => ({ value: b.value, max: b.max, hidden: b.hidden, outcome: b.dataset.outcome || '' }))
const count = (page, text) => page.$$eval('#log .line .msg', (ms, t) => ms.filter((m) => m.textContent === t).length, text)
const DURATION = /^(\d+ ms|\d+\.\d s)$/

test('"k of N" with a bar while building; each step\'s duration; a rebuild marks cached steps; the end clears the step label', T, async (t) => {
  const { page, problems } = await openDemo(demo, t)
  await setName(page, `e2e-progress-${run}`)
  await removeStep(page, 'copy')
  for (let i = 1; i <= 6; i++) await addStep(page, 'runCmd', { cmd: `echo progress ${i} ${run}` })
  // What the status line showed while the build ran, sampled at every change of the label.
  await page.evaluate(() => {
    window.__seen = []
    const sample = () => {
      const b = document.querySelector('#build-progress')
      window.__seen.push({ label: document.querySelector('#current-step').textContent, desc: document.querySelector('#current-step-desc').textContent, value: b.value, max: b.max, hidden: b.hidden })
    }
    new MutationObserver(sample).observe(document.querySelector('#current-step'), { childList: true, characterData: true, subtree: true })
  })
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'ready')

  const first = await rows(page)
  const total = first.length
  assert.ok(total >= 9, `base, 7 steps and finalize at least: ${total}`)
  assert.deepEqual(first.map((r) => r.pos), first.map((_, i) => `${i + 1}/${total}`))
  assert.equal(first[0].step, 'base')
  assert.equal(first.at(-1).step, 'finalize')
  for (const r of first) {
    assert.equal(r.state, 'finished', r.step)
    assert.match(r.time, r.cached ? /^cached$/ : DURATION, r.step)
  }
  for (const r of first.filter((x) => /echo progress/.test(x.desc))) assert.equal(r.cached, false, 'steps never built before are not cached')
  // While building: "k of N" with the step's builder call, and the bar at the steps done.
  const running = (await page.evaluate(() => window.__seen)).filter((s) => /^\d+ of \d+$/.test(s.label))
  assert.ok(running.length >= 3, JSON.stringify(running))
  for (const s of running) {
    const k = Number(s.label.split(' of ')[0])
    assert.equal(s.label, `${k} of ${total}`)
    assert.equal(s.desc, first[k - 1].desc)
    assert.ok(!s.hidden && s.max === total && s.value === k - 1, `bar at ${s.value}/${s.max} on step ${k}`)
  }
  // The end: the step label is cleared, the bar full, the counts final.
  assert.equal(await page.textContent('#current-step'), '–')
  assert.equal(await page.textContent('#current-step-desc'), '')
  assert.deepEqual(await bar(page), { value: total, max: total, hidden: false, outcome: '' })
  const cached1 = first.filter((r) => r.cached).length
  assert.equal(await page.textContent('#progress-counts'), `${total} of ${total} done${cached1 ? ` · ${cached1} cached` : ''}`)
  assert.equal(await count(page, 'Build started'), 1, 'one "Build started"')
  assert.equal(await count(page, 'end of build log'), 1, 'one end marker')
  const elapsed = await page.textContent('#elapsed')
  assert.match(elapsed, DURATION)
  await page.waitForTimeout(300)
  assert.equal(await page.textContent('#elapsed'), elapsed, 'the clock stopped')

  // The same template again: every step but finalize comes from the cache.
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'ready')
  const again = await rows(page)
  assert.equal(again.length, total)
  assert.deepEqual(again.map((r) => [r.step, r.cached, r.time === 'cached']), first.map((r) => [r.step, r.step !== 'finalize', r.step !== 'finalize']))
  assert.equal(await page.textContent('#progress-counts'), `${total} of ${total} done · ${total - 1} cached`)
  assert.match(await page.textContent('#build-result'), new RegExp(`${total} steps, ${total - 1} cached`))
  assert.equal((await page.textContent('#log')).match(/CACHED \[builder \d+\/\d+\]/g).length, total - 2, 'the log agrees: every numbered step cached')
  assert.deepEqual(problems, [])
})

test('a failure shows its reason and hint with the failing step, marked in the step list and in the log', T, async (t) => {
  const { page, problems } = await openDemo(demo, t)
  await setName(page, `e2e-oom-${run}`)
  await removeStep(page, 'copy')
  await removeStep(page, 'pipInstall')
  await addStep(page, 'runCmd', { cmd: `echo before ${run}` })
  await addStep(page, 'runCmd', { cmd: `make __oom__ ${run}` })
  await addStep(page, 'runCmd', { cmd: `echo never ${run}` })
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'failed')
  const list = await rows(page)
  const failed = list.find((r) => r.step === '2')
  assert.equal(failed.state, 'failed')
  assert.equal(failed.time, 'failed')
  assert.equal(list.filter((r) => r.state === 'finished').length, 2, 'base and step 1 done')
  assert.ok(!list.some((r) => r.step === '3'), 'step 3 never started')
  const box = await page.textContent('#build-error')
  assert.match(box, new RegExp(`^Failed at step 2 \\(3 of ${list[0].pos.split('/')[1]}\\) runCmd\\("make __oom__ ${run}"\\)`))
  assert.match(await page.getAttribute('#build-error .hint', 'data-reason'), /^out-of-memory$/)
  assert.match(await page.textContent('#build-error .hint'), /^Out of memory: .*memoryMB/)
  const marked = await page.$$eval('#log .line.failed-step .msg', (ms) => ms.map((m) => m.textContent))
  assert.match(marked[0], /^\[builder 2\/\d+\] RUN make __oom__/)
  assert.ok(marked.includes('Killed'))
  assert.match(marked.at(-1), /was killed: out of memory/)
  assert.equal(await page.textContent('#current-step'), '–')
  assert.match(await page.textContent('#progress-counts'), /^2 of \d+ done( · \d cached)? · 1 failed$/)
  assert.equal((await bar(page)).outcome, 'failed')
  assert.deepEqual(problems, [])
})

test('a deadline: past it the build is reported as timed out and how far it got; it goes on and Watch again follows it', T, async (t) => {
  const { page, problems, requests } = await openDemo(demo, t)
  await setName(page, `e2e-deadline-${run}`)
  await removeStep(page, 'copy')
  for (let i = 1; i <= 12; i++) await addStep(page, 'runCmd', { cmd: `echo deadline ${i} ${run}` })

  // A deadline the package refuses (InvalidArgumentError naming `timeoutMs`, before any
  // request) is shown under its field, for either button.
  const posts = () => requests.filter((u) => /\/v3\/templates$/.test(u)).length
  for (const button of ['#build', '#build-bg']) {
    await page.fill('#tpl-deadline', '-2')
    await page.click(button)
    await page.waitForSelector('#tpl-deadline + .field-msg')
    assert.equal(await focused(page), 'INPUT#tpl-deadline', button)
    assert.match(await page.textContent('#tpl-deadline + .field-msg'), /^Deadline: Template\.build(InBackground)?: option `timeoutMs` must be a whole number of milliseconds > 0 \(got -2000\)/)
    assert.equal(await page.textContent('#status'), 'not started')
    assert.equal(posts(), 0, 'nothing was sent')
  }

  for (const [button, what] of [['#build', 'foreground'], ['#build-bg', 'background']]) {
    // A new first step, so no later step comes from the cache of the previous build.
    await page.locator('#steps li[data-type="runCmd"] [data-field="cmd"]').first().fill(`echo deadline ${what} ${run}`)
    await page.fill('#tpl-deadline', '1')
    await page.click(button)
    assert.equal(await waitStatus(page, ENDED), 'timed out', what)
    const ids = params(page)
    assert.ok(ids.buildId, `${what}: the address still names the build, which goes on`)
    // How far it got comes from progress events: a background build's watch gets them too.
    const howFar = 'it reached step \\d+ of \\d+ \\(runCmd\\("echo deadline [\\w ]+"\\)\\)'
    assert.match(await page.textContent('#build-result'), new RegExp(`^The build did not finish within \\d+ ms: ${howFar}; it goes on on the server \\(template ${ids.templateId}, build ${ids.buildId}\\)`), what)
    assert.match(await page.textContent('#build-banner'), new RegExp(`^Deadline passed: stopped following build ${ids.buildId}`), what)
    assert.equal(await page.textContent('#current-step'), '–')
    await page.fill('#tpl-deadline', '')
    await page.click('#watch-again')
    assert.equal(await waitStatus(page, ENDED), 'ready', `${what}: the build went on to its end`)
    assert.deepEqual(params(page), ids)
  }
  assert.deepEqual(problems, [])
})
