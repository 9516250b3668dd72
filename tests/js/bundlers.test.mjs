// The packed package in four bundlers, each with no configuration beyond its entry,
// and the bundle run in headless Chromium: Vite and webpack 5 take the default entry
// (the .wasm files become assets they emit), esbuild and Rollup the `/inline` entry
// (they copy no assets). The scenario also hashes a COPY source, which loads the
// on-demand module: its chunk must load from the bundle too.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import * as vite from 'vite'
import webpack from 'webpack'
import * as esbuild from 'esbuild'
import { rollup } from 'rollup'
import resolve from '@rollup/plugin-node-resolve'
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

/** A project with the package installed and `entry.js` importing `specifier`. */
function project(specifier) {
  const dir = projectWithPackage('module')
  writeFileSync(
    join(dir, 'entry.js'),
    `import * as api from '${specifier}'\n${scenarioSource}\nPromise.resolve().then(() => scenario(api)).then((r) => { window.__result = r }, (e) => { window.__result = { failed: String(e && e.stack || e) } })\n`,
  )
  return dir
}

/** Serves `dist` (with `index.html` loading `script`) and checks the scenario there. */
async function runBundle(dist, script) {
  if (script) writeFileSync(join(dist, 'index.html'), `<!doctype html><link rel="icon" href="data:,"><script type="module" src="./${script}"></script>`)
  const server = await serveStatic(dist)
  try {
    const { result, errors } = await runPage(browser, `${server.url}/index.html`)
    assert.equal(result.failed, undefined, result.failed)
    checkResult(result, expected)
    assert.deepEqual(errors, [])
  } finally {
    await server.close()
  }
}

test('Vite: the default entry, wasm emitted as assets', async () => {
  const dir = project('novita-template-wasm')
  writeFileSync(join(dir, 'index.html'), '<!doctype html><link rel="icon" href="data:,"><script type="module" src="/entry.js"></script>')
  await vite.build({ root: dir, logLevel: 'silent', configFile: false, build: { outDir: join(dir, 'dist') } })
  assert.equal(readdirSync(join(dir, 'dist/assets')).filter((f) => f.endsWith('.wasm')).length, 2)
  await runBundle(join(dir, 'dist'))
})

test('webpack 5: the default entry, wasm emitted as assets', async () => {
  const dir = project('novita-template-wasm')
  const stats = await new Promise((resolve, reject) =>
    webpack({ mode: 'production', context: dir, entry: './entry.js', output: { path: join(dir, 'dist'), filename: 'bundle.js' } }, (e, s) => (e ? reject(e) : resolve(s))),
  )
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'))
  assert.equal(readdirSync(join(dir, 'dist')).filter((f) => f.endsWith('.wasm')).length, 2)
  await runBundle(join(dir, 'dist'), 'bundle.js')
})

test('esbuild: the /inline entry, one file', async () => {
  const dir = project('novita-template-wasm/inline')
  mkdirSync(join(dir, 'dist'))
  await esbuild.build({ entryPoints: [join(dir, 'entry.js')], bundle: true, format: 'esm', platform: 'browser', minify: true, outfile: join(dir, 'dist/bundle.js'), absWorkingDir: dir, logLevel: 'error' })
  await runBundle(join(dir, 'dist'), 'bundle.js')
})

test('Rollup: the /inline entry, with node-resolve only', async () => {
  const dir = project('novita-template-wasm/inline')
  const bundle = await rollup({ input: join(dir, 'entry.js'), plugins: [resolve({ browser: true, rootDir: dir })], onwarn: () => {} })
  await bundle.write({ dir: join(dir, 'dist'), format: 'es', entryFileNames: 'bundle.js' })
  await bundle.close()
  await runBundle(join(dir, 'dist'), 'bundle.js')
})
