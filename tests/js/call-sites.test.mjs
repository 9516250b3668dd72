// An error about a builder call points at the user's line: its stack's top frame is
// the call itself, both when the call throws at once (bad arguments) and when the
// step it made fails on the server (the base, a RUN step, the start command), in Node
// and in Chromium (pages/call-sites.html).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { repoRoot } from './support/package-install.mjs'
import { startEmulator } from './support/emulator.mjs'
import { serveStatic } from './support/static-server.mjs'
import { launchBrowser, runPage } from './support/browser.mjs'

const require = createRequire(import.meta.url)
const { Template, TemplateBase, BuildError, InvalidArgumentError, TemplateError } = require(`${repoRoot}/pkg/node/index.cjs`)

let emu
let conn
before(async () => {
  emu = await startEmulator(['--step-ms', '30'])
  conn = { apiUrl: emu.url, apiKey: emu.key }
})
after(() => emu?.stop())

/** The line this is called from (in this file). */
const line = () => Number(/:(\d+):\d+\)?$/.exec(new Error().stack.split('\n')[2])[1])
/** `file:line` of an error's top frame. */
const top = (e) => /\/([^/]+):(\d+):\d+\)?$/.exec(e.stack.split('\n')[1])?.slice(1, 3).join(':')

test('a builder call that throws points at the call, for every builder method', () => {
  const methods = Object.getOwnPropertyNames(TemplateBase.prototype).filter((m) => m !== 'constructor')
  assert.ok(methods.length >= 35, `${methods.length} builder methods`)
  let checked = 0
  for (const m of methods) {
    let e
    // Arguments no method accepts: a symbol cannot be an image, a path, a command…
    const at = line(); try { Template()[m](Symbol('bad'), Symbol('bad'), Symbol('bad')) } catch (x) { e = x }
    if (!e) continue // skipCache(), fromBaseImage(): nothing to refuse
    checked++
    assert.ok(e instanceof InvalidArgumentError || e instanceof TemplateError, `${m}: ${e.name}: ${e.message}`)
    assert.equal(top(e), `call-sites.test.mjs:${at}`, `${m}: ${e.stack}`)
  }
  assert.ok(checked >= 30, `${checked} methods refused bad arguments`)
  // Also inside a chain, and for a check that needs no arguments to be wrong.
  let e
  const at = line(); try { Template().fromImage('node:22').copy('/etc/passwd', '/x') } catch (x) { e = x }
  assert.match(e.message, /absolute paths are not allowed/)
  assert.equal(top(e), `call-sites.test.mjs:${at}`)
})

test('a step that fails on the server points at the call that made it: base, RUN step, start command', async () => {
  const cases = []
  let at
  at = line(); cases.push([at, 'base', Template().fromImage('example.com/private__denied__:1', undefined, { inheritConfig: false }).runCmd('echo x')])
  const t = Template().fromTemplate('base')
  t.runCmd('echo one')
  at = line(); t.runCmd('make __fail__')
  cases.push([at, '2', t])
  const s = Template().fromTemplate('base').runCmd('echo ok')
  at = line(); s.setStartCmd('serve __fail__', 'sleep 1')
  cases.push([at, 'finalize', s])
  for (const [at, step, template] of cases) {
    const e = await Template.build(template, `call-site-${step}`, conn).then(() => null, (x) => x)
    assert.ok(e instanceof BuildError, `${step}: ${e?.name}: ${e?.message}`)
    assert.equal(e.step, step)
    assert.equal(top(e), `call-sites.test.mjs:${at}`, `${step}: ${e.stack}`)
    assert.equal(e.stack.split('\n')[0], `BuildError: ${e.message}`)
  }
})

test('in Chromium too: builder errors and step failures point at the page\'s own lines', async () => {
  const site = await serveStatic(repoRoot)
  const browser = await launchBrowser()
  try {
    const url = `${site.url}/tests/js/pages/call-sites.html?api=${encodeURIComponent(emu.url)}&key=${encodeURIComponent(emu.key)}`
    const { result } = await runPage(browser, url, { timeoutMs: 60000 })
    assert.equal(result.unexpected, undefined, result.unexpected)
    assert.ok(result.cases.length >= 4)
    for (const c of result.cases) assert.equal(c.top, `call-sites.html:${c.at}`, `${c.what}: ${c.stack}`)
  } finally {
    await browser.close()
    await site.close()
  }
})
