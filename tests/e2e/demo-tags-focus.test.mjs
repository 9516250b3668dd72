// Tags (source pre-filled from the template's real tags, whole tags reported, Enter
// submits each small form) and focus that stays on something sensible after Build,
// Delete and moving a step.
import { test } from 'node:test'
import { assert, useDemo, openDemo, T, run, waitStatus, removeStep, addStep, setName, focused, ENDED } from './demo-harness.mjs'

const demo = useDemo()

async function buildReady(page, name, tags) {
  await setName(page, name)
  await page.fill('#tpl-tags', tags)
  await removeStep(page, 'copy')
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'ready')
  await page.waitForFunction((n) => [...document.querySelectorAll('#templates tbody tr')].some((r) => r.cells[0].textContent === n), name)
}

test('Tags pre-fills an existing source tag; a bad tag is reported whole; Enter submits each small form', T, async (t) => {
  const { page, problems, noise } = await openDemo(demo, t)
  const name = `e2e-tagform-${run}`
  await buildReady(page, name, 'v1')
  await page.click(`#templates tbody tr:has-text("${name}") button:has-text("Tags")`)
  await page.waitForSelector('#tags li')
  assert.equal(await page.inputValue('#tags-target'), `${name}:v1`, 'the source is a tag the template has')
  assert.equal(await focused(page), 'H3#tags-title')

  // Enter in the tags field assigns; a bad tag is named whole and nothing is sent.
  await page.fill('#tags-names', 'production, Bad Tag!')
  await page.press('#tags-names', 'Enter')
  await page.waitForFunction(() => /Bad Tag!/.test(document.querySelector('#tags-result').textContent))
  assert.match(await page.textContent('#tags-result'), /"Bad Tag!" is not a valid tag/)
  assert.equal(await focused(page), 'INPUT#tags-names')
  // Lines pasted into the one-line field become comma-separated tags.
  await page.fill('#tags-names', '')
  await page.evaluate(() => {
    const dt = new DataTransfer()
    dt.setData('text/plain', 'production\nstaging\n')
    document.querySelector('#tags-names').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
  })
  assert.equal(await page.inputValue('#tags-names'), 'production, staging')
  await page.press('#tags-names', 'Enter')
  await page.waitForFunction(() => /Assigned production, staging to build/.test(document.querySelector('#tags-result').textContent))
  assert.match(await page.textContent('#tags'), /production[\s\S]*staging|staging[\s\S]*production/)

  // Enter in the remove field removes; Enter in the template field lists.
  await page.fill('#tags-remove-names', 'staging')
  await page.press('#tags-remove-names', 'Enter')
  await page.waitForFunction(() => /Removed staging/.test(document.querySelector('#tags-result').textContent))
  await page.fill('#tags-template', name)
  await page.evaluate(() => { document.querySelector('#tags-result').textContent = '' })
  await page.press('#tags-template', 'Enter')
  await page.waitForFunction(() => /2 tags on/.test(document.querySelector('#tags-result').textContent))

  // Enter in a connection field tests the connection.
  await page.click('#connection summary')
  await page.press('#api-key', 'Enter')
  await page.waitForFunction(() => /Connected/.test(document.querySelector('#conn-result').textContent))
  assert.deepEqual(noise, [], 'no request failed (no 404 from a guessed source tag)')
  assert.deepEqual(problems, [])
})

test('focus stays on something sensible after Build, the end of a build, Delete and moving a step', T, async (t) => {
  const { page, problems } = await openDemo(demo, t)
  const name = `e2e-focus-${run}`
  await setName(page, name)
  await removeStep(page, 'copy')
  await addStep(page, 'runCmd', { cmd: `echo one ${run}` })
  await addStep(page, 'runCmd', { cmd: `echo two ${run}` })

  // Moving the last step up to the top: focus follows it, and moves to ↓ once ↑ is disabled.
  await page.click('#steps li:nth-child(3) button[data-act="up"]')
  assert.equal(await focused(page), 'BUTTON')
  assert.equal(await page.evaluate(() => document.activeElement.closest('li').dataset.type), 'runCmd')
  await page.keyboard.press('Enter') // ↑ again, from the keyboard: now first
  assert.equal(await page.evaluate(() => document.activeElement.closest('li') === document.querySelector('#steps li:first-child')), true)
  assert.equal(await page.evaluate(() => document.activeElement.dataset.act), 'down', 'the disabled ↑ handed focus to ↓')

  await page.click('#build')
  assert.equal(await focused(page), 'BUTTON#cancel', 'Build is disabled while building: focus goes to Cancel')
  assert.equal(await waitStatus(page, ENDED), 'ready')
  assert.equal(await focused(page), 'BUTTON#build', 'Cancel is disabled after the build: focus goes back to Build')

  await page.waitForFunction((n) => [...document.querySelectorAll('#templates tbody tr')].some((r) => r.cells[0].textContent === n), name)
  const del = page.getByRole('button', { name: `Delete template ${name}` })
  await del.click()
  await del.click()
  await page.waitForFunction(() => /Deleted/.test(document.querySelector('#list-result').textContent))
  const after = await focused(page)
  assert.notEqual(after, 'BODY', 'focus after Delete')
  assert.ok(/^BUTTON/.test(after), `focus is on a button of the list: ${after}`)
  assert.deepEqual(problems, [])
})
