// The plan before building (Template.plan): steps, the files and bytes each COPY
// would upload, and after a build the archives the server already has. And COPY
// sources checked before any request (through the package), each missing one shown
// under the field that names it, like every other problem of the form.
import { test } from 'node:test'
import { assert, useDemo, openDemo, T, run, removeStep, addStep, setName, focused, waitStatus, ENDED } from './demo-harness.mjs'

const demo = useDemo()

const planRows = (page) => page.$$eval('#plan-copies tbody tr', (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent)))

async function plan(page) {
  await page.click('#plan-run')
  await page.waitForFunction(() => !document.querySelector('#plan-run').disabled && document.querySelector('#plan-summary'))
  return page.textContent('#plan-summary')
}

test('the plan shows the steps and the files and bytes to upload; after a build, the uploads already on the server', T, async (t) => {
  const { page, problems, noise } = await openDemo(demo, t)
  const name = `e2e-plan-${run}`
  await setName(page, name)
  // Files whose sizes the test knows: the in-memory app.py, a picked file, a picked folder of two.
  const files = {
    'app.py': `print("plan ${run}")\n`,
    'requirements.txt': `flask==3.0.0\n# ${run}\n`,
    'static/index.html': `<h1>${run}</h1>\n`,
    'static/site.css': 'h1 { color: teal }\n',
  }
  const size = (...paths) => paths.reduce((n, p) => n + Buffer.byteLength(files[p]), 0)
  await page.click('#files li[data-path="app.py"] summary')
  await page.fill('[aria-label="Content of app.py"]', files['app.py'])
  await page.setInputFiles('#pick-files', { name: 'requirements.txt', mimeType: 'text/plain', buffer: Buffer.from(files['requirements.txt']) })
  await page.evaluate((f) => {
    const dt = new DataTransfer()
    for (const p of ['static/index.html', 'static/site.css']) dt.items.add(new File([f[p]], p.split('/')[1]))
    // Dropped files keep the folder in their path, as a picked folder does.
    const list = [...dt.files].map((file, i) => Object.assign(file, { relPath: ['static/index.html', 'static/site.css'][i] }))
    document.querySelector('#drop-zone').dispatchEvent(Object.assign(new Event('drop', { bubbles: true, cancelable: true }), { dataTransfer: { items: [], files: list } }))
  }, files)
  await page.waitForSelector('#files li[data-path="static/site.css"]')
  await addStep(page, 'copy', { src: 'requirements.txt', dest: '/home/user/requirements.txt' })
  await addStep(page, 'copy', { src: 'static', dest: '/home/user/static' })

  await page.click('#plan-card summary')
  const before = await plan(page)
  assert.match(before, new RegExp(`^${name} \\(a new template\\)`))
  assert.match(before, /\d+ steps \(base, \d+ numbered, finalize\) · 3 COPYs/)
  assert.match(before, new RegExp(`To upload: 3 archives, ${size('app.py', 'requirements.txt', 'static/index.html', 'static/site.css')} B before gzip · already on the server: 0$`))
  assert.deepEqual((await planRows(page)).map((r) => r.slice(1)), [
    ['app.py → /home/user/app.py', '1', `${size('app.py')} B`, 'new template', 'upload'],
    ['requirements.txt → /home/user/requirements.txt', '1', `${size('requirements.txt')} B`, 'new template', 'upload'],
    ['static → /home/user/static', '2', `${size('static/index.html', 'static/site.css')} B`, 'new template', 'upload'],
  ])

  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'ready')
  const { templateId } = Object.fromEntries(new URL(page.url()).searchParams)
  const after = await plan(page)
  assert.match(after, new RegExp(`^${name} \\(template ${templateId}\\)`))
  assert.match(after, /To upload: 0 archives, 0 B before gzip · already on the server: 3$/)
  assert.deepEqual((await planRows(page)).map((r) => r.slice(4)), [['yes', 'reuse'], ['yes', 'reuse'], ['yes', 'reuse']])

  // A changed file: the plan on screen is marked stale; planning again shows its upload.
  await page.setInputFiles('#pick-files', { name: 'requirements.txt', mimeType: 'text/plain', buffer: Buffer.from(`flask==3.1.0\n# ${run}\n`) })
  await page.waitForSelector('#plan-stale')
  const changed = await plan(page)
  assert.equal(await page.locator('#plan-stale').count(), 0)
  assert.match(changed, /To upload: 1 archive, \d+ B before gzip · already on the server: 2$/)
  assert.deepEqual((await planRows(page)).map((r) => r.slice(4)), [['yes', 'reuse'], ['no', 'upload'], ['yes', 'reuse']])

  // The API answers "no such name" with a 404, which the browser logs: the one request
  // that fails in this test is the plan's look-up of the new name.
  assert.deepEqual(noise.filter((n) => !n.includes(`/templates/aliases/${name}`) && !/Failed to load resource: .* 404/.test(n)), [])
  assert.deepEqual(problems, [])
})

test('missing COPY sources, of a copy step or a Dockerfile, are shown under their fields before any request', T, async (t) => {
  const { page, problems, requests } = await openDemo(demo, t)
  await setName(page, `e2e-missing-${run}`)
  const src = '#steps li[data-type="copy"]:last-child [data-field="src"]'
  await addStep(page, 'copy', { src: 'notes.txt', dest: '/home/user/notes.txt' })
  await page.waitForSelector(`${src} + .field-msg`)
  assert.match(await page.textContent(`${src} + .field-msg`), /^Step 3 \(copy\): No files found in notes\.txt: add the files under "Files for copy"/)
  assert.equal(await page.getAttribute(src, 'aria-invalid'), 'true')
  assert.match(await page.textContent('#form-issues'), /1 problem to fix before building:/)
  const posts = () => requests.filter((u) => /\/v3\/templates$/.test(u)).length
  await page.click('#build')
  assert.equal(await focused(page), 'INPUT[src]')
  assert.equal(await page.textContent('#status'), 'idle')
  // Picking the file clears the problem.
  await page.setInputFiles('#pick-files', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(`notes ${run}\n`) })
  await page.waitForFunction(() => !document.querySelector('.field-msg'))

  // A Dockerfile's COPY of a file that was not picked, and a name the platform refuses.
  await removeStep(page, 'copy')
  await removeStep(page, 'copy')
  await page.selectOption('#base-kind', 'dockerfile')
  await page.fill('#base-dockerfile', `FROM python:3.12\nCOPY settings.toml /home/user/settings.toml\nRUN echo ${run}\n`)
  await setName(page, '-lead')
  await page.waitForSelector('#base-dockerfile + .field-msg')
  assert.match(await page.textContent('#base-dockerfile + .field-msg'), /^Base: No files found in settings\.toml: add the files under "Files for copy"/)
  assert.match(await page.textContent('#tpl-name + .field-msg'), /^Name: "-lead" is not a valid name/)
  assert.equal(await page.locator('.field-msg.error').count(), 2)
  await page.click('#build-bg')
  assert.equal(await focused(page), 'TEXTAREA#base-dockerfile')
  assert.equal(posts(), 0, 'nothing was sent while the form had problems')
  assert.deepEqual(problems, [])
})
