// Problems are found while the user edits, shown one way (under the field and in a
// summary by the Build buttons), and Build moves focus to the first one instead of
// building. Builder arguments are checked by constructing the template through the
// package, whose InvalidArgumentError names the argument.
import { test } from 'node:test'
import { assert, useDemo, openDemo, T, run, waitStatus, removeStep, addStep, setName, focused, ENDED } from './demo-harness.mjs'

const demo = useDemo()

const messageOf = (page, field) => page.evaluate((sel) => {
  const f = document.querySelector(sel)
  const ids = (f.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
  return ids.map((id) => document.getElementById(id)).filter(Boolean).map((m) => `${m.className}|${m.textContent}`).join('\n')
}, field)

test('problems show under their fields while editing, in one style; Build focuses the first and does not build', T, async (t) => {
  const { page, problems, requests } = await openDemo(demo, t)
  const name = `MyApp-${run}`
  await setName(page, name)
  await page.fill('#tpl-tags', 'latest, Bad Tag!')
  await page.fill('#ready-value', 'abc')
  await addStep(page, 'setEnvs', { envs: 'APP_ENV=demo\nnot a pair' })
  await page.fill('#tpl-cpu', '9')

  // Shown without clicking Build.
  const env = '#steps li[data-type="setEnvs"] [data-field="envs"]'
  await page.waitForFunction(() => document.querySelectorAll('.field-msg').length >= 5)
  assert.match(await messageOf(page, env), /^field-msg error\|Step 3 \(setEnvs\): line 2: "not a pair" is not KEY=value/)
  assert.match(await messageOf(page, '#ready-value'), /^field-msg error\|Ready check: waitForPort: `port` must be a finite number/)
  assert.match(await messageOf(page, '#tpl-tags'), /^field-msg error\|Tags: "Bad Tag!" is not a valid tag/)
  assert.match(await messageOf(page, '#tpl-cpu'), /^field-msg error\|CPUs: CPUs must be a whole number from 1 to 8/)
  assert.match(await messageOf(page, '#tpl-name'), new RegExp(`^field-msg notice\\|Name: Will be stored as "myapp-${run}"`))
  assert.equal(await page.getAttribute(env, 'aria-invalid'), 'true')
  assert.equal(await page.getAttribute('#tpl-name', 'aria-invalid'), null, 'a notice is not an error')
  // One style: every message on the page is a .field-msg, and the summary lists the same ones.
  assert.equal(await page.locator('.error-text:visible').count(), 0)
  assert.match(await page.textContent('#form-issues'), /4 problems to fix before building/)

  const posts = () => requests.filter((u) => /\/v3\/templates/.test(u)).length
  await page.click('#build')
  assert.equal(await focused(page), 'TEXTAREA[envs]', 'focus on the first bad field, in page order')
  assert.equal(await page.textContent('#status'), 'idle')
  await page.fill(env, 'APP_ENV=demo\nOTHER=1')
  await page.click('#build')
  assert.equal(await focused(page), 'INPUT#ready-value')
  await page.fill('#ready-value', '8000')
  await page.click('#build')
  assert.equal(await focused(page), 'INPUT#tpl-tags')
  await page.fill('#tpl-tags', 'latest, v1')
  await page.click('#build')
  assert.equal(await focused(page), 'INPUT#tpl-cpu')
  assert.equal(posts(), 0, 'nothing was sent while the form had problems')

  // The summary's entries lead to their fields.
  await page.click('#form-issues button:has-text("CPUs")')
  assert.equal(await focused(page), 'INPUT#tpl-cpu')
  await page.fill('#tpl-cpu', '2')
  await page.waitForFunction(() => document.querySelectorAll('.field-msg.error').length === 0)
  assert.match(await page.textContent('#form-issues'), /Note:.*Will be stored as/)
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'ready')
  await page.waitForFunction((n) => [...document.querySelectorAll('#templates tbody tr')].some((r) => r.cells[0].textContent === n), `myapp-${run}`)
  assert.deepEqual(problems, [])
})

test('builder arguments are checked by the package and the message sits under the argument it names', T, async (t) => {
  const { page, problems } = await openDemo(demo, t)
  await setName(page, `e2e-args-${run}`)
  await removeStep(page, 'copy')
  await addStep(page, 'runCmd', { cmd: '' })
  await addStep(page, 'gitClone', { depth: '-1' })
  await addStep(page, 'copy', { src: 'app.py', dest: '' })
  await page.selectOption('#base-kind', 'image')
  await page.fill('#base-value', '')
  await page.waitForFunction(() => document.querySelectorAll('.field-msg.error').length >= 4)
  assert.match(await messageOf(page, '#base-value'), /Base: fromImage: image must be a non-empty string/)
  assert.match(await messageOf(page, '#steps li[data-type="runCmd"] [data-field="cmd"]'), /Step 2 \(runCmd\): runCmd: command must be a non-empty string/)
  assert.match(await messageOf(page, '#steps li[data-type="gitClone"] [data-field="depth"]'), /Step 3 \(gitClone\): gitClone: depth must be an integer/)
  assert.match(await messageOf(page, '#steps li[data-type="copy"] [data-field="dest"]'), /Step 4 \(copy\): copy: dest must be a non-empty string/)
  assert.match(await page.textContent('#preview'), /appears here once the problems marked in the form are fixed/)
  await page.click('#build-bg')
  assert.equal(await focused(page), 'INPUT#base-value')
  assert.equal(await page.textContent('#status'), 'idle')
  assert.deepEqual(problems, [])
})
