// The built npm package, installed from its tarball, works unmodified in the ways
// users load it without a bundler: Node ESM import, Node CJS require and a plain
// <script type="module"> page (bundlers: bundlers.test.mjs), and gives the official
// SDK's bytes in each.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectWithPackage } from './support/package-install.mjs'
import { scenarioSource, officialExpectation, checkResult } from './support/scenario-check.mjs'
import { serveStatic } from './support/static-server.mjs'
import { launchBrowser, runPage } from './support/browser.mjs'

let expected
let browser
before(async () => {
  expected = await officialExpectation()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
})

test('Node ESM: import { Template } from "novita-template-wasm"', () => {
  const dir = projectWithPackage('module')
  writeFileSync(
    join(dir, 'main.mjs'),
    `import * as api from 'novita-template-wasm'\n${scenarioSource}\nconsole.log(JSON.stringify(await scenario(api)))\n`,
  )
  const result = JSON.parse(execFileSync('node', ['main.mjs'], { cwd: dir, encoding: 'utf8' }))
  checkResult(result, expected)
})

test('Node CJS: require("novita-template-wasm")', () => {
  const dir = projectWithPackage('commonjs')
  writeFileSync(
    join(dir, 'main.cjs'),
    `const api = require('novita-template-wasm')\n${scenarioSource}\nscenario(api).then((r) => console.log(JSON.stringify(r)))\n`,
  )
  const result = JSON.parse(execFileSync('node', ['main.cjs'], { cwd: dir, encoding: 'utf8' }))
  checkResult(result, expected)
})

test('plain <script type="module"> page with an import map', async () => {
  const dir = projectWithPackage('module')
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "novita-template-wasm": "./node_modules/novita-template-wasm/web/index.js" } }</script>
<script type="module">
import * as api from 'novita-template-wasm'
${scenarioSource}
Promise.resolve().then(() => scenario(api)).then((r) => { window.__result = r }, (e) => { window.__result = { failed: String(e) } })
</script>`,
  )
  const server = await serveStatic(dir)
  try {
    const { result } = await runPage(browser, `${server.url}/index.html`)
    checkResult(result, expected)
  } finally {
    await server.close()
  }
})

test('the /lazy entry: no wasm fetched at import, a clear error before init(), then everything works', async () => {
  const dir = projectWithPackage('module')
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "novita-template-wasm/lazy": "./node_modules/novita-template-wasm/web/lazy.js" } }</script>
<script type="module">
import * as api from 'novita-template-wasm/lazy'
${scenarioSource}
const wasmBefore = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm')).length
let early
try { api.Template() } catch (e) { early = e.message }
api.init()
  .then(() => scenario(api))
  .then((r) => { window.__result = { ...r, wasmBefore, early } }, (e) => { window.__result = { failed: String(e) } })
</script>`,
  )
  const server = await serveStatic(dir)
  try {
    const { result } = await runPage(browser, `${server.url}/index.html`)
    assert.equal(result.wasmBefore, 0)
    assert.match(result.early, /call 'await init\(\)' before using the package/)
    checkResult(result, expected)
  } finally {
    await server.close()
  }
})
