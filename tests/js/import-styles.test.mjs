// The built npm package, installed from its tarball, works unmodified in the four
// ways users load it: Node ESM import, Node CJS require, a bundler (esbuild) and a
// plain <script type="module"> page, and gives the official SDK's bytes in each.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import * as official from 'novita-sandbox'
import { projectWithPackage, repoRoot } from './support/package-install.mjs'
import { serveStatic } from './support/static-server.mjs'
import { launchBrowser, runPage } from './support/browser.mjs'

const scenarioSource = readFileSync(join(repoRoot, 'tests/js/support/scenario.js'), 'utf8')

async function officialExpectation() {
  const t = official.Template({ fileContextPath: '.' })
    .fromImage('python:3.12', undefined, { inheritConfig: false })
    .pipInstall(['flask', 'requests'])
    .setEnvs({ APP_ENV: 'production' })
    .setStartCmd('python -m http.server 8000', official.waitForPort(8000))
  return { dockerfile: official.Template.toDockerfile(t), json: await official.Template.toJSON(t) }
}

function checkResult(result, expected) {
  assert.equal(result.callableWithoutNew, true)
  assert.equal(result.instanceofTemplate, true)
  assert.equal(result.withNew, true)
  assert.equal(result.dockerfile, expected.dockerfile)
  assert.equal(result.json, expected.json)
  assert.equal(result.emptyCmd.isError, true)
  assert.equal(result.emptyCmd.isTyped, true, `typed error expected, got ${JSON.stringify(result.emptyCmd)}`)
  assert.match(result.emptyCmd.message, /runCmd/)
  assert.equal(result.logEntry, '[2026-01-01T00:00:00.000Z] [info] green text')
}

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

test('bundler: esbuild bundle loaded in headless Chromium', async () => {
  const dir = projectWithPackage('module')
  writeFileSync(
    join(dir, 'entry.js'),
    `import * as api from 'novita-template-wasm'\n${scenarioSource}\nPromise.resolve().then(() => scenario(api)).then((r) => { window.__result = r }, (e) => { window.__result = { failed: String(e) } })\n`,
  )
  const out = join(dir, 'dist')
  mkdirSync(out)
  await build({ entryPoints: [join(dir, 'entry.js')], bundle: true, format: 'esm', platform: 'browser', minify: true, outfile: join(out, 'bundle.js'), absWorkingDir: dir, logLevel: 'error' })
  // esbuild leaves `new URL('…_bg.wasm', import.meta.url)` alone: ship the module next to the bundle.
  copyFileSync(join(dir, 'node_modules/novita-template-wasm/web/novita_template_wasm_bg.wasm'), join(out, 'novita_template_wasm_bg.wasm'))
  writeFileSync(join(out, 'index.html'), '<!doctype html><link rel="icon" href="data:,"><script type="module" src="./bundle.js"></script>')
  const server = await serveStatic(out)
  try {
    const { result } = await runPage(browser, `${server.url}/index.html`)
    checkResult(result, expected)
  } finally {
    await server.close()
  }
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
