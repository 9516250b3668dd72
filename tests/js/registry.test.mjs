// Reading a base image's config (ENV, WORKDIR, start command) from its registry: a
// browser never asks a public registry (CORS refuses it) unless `registryUrl` names
// one it may read, and says so once in the log; Node remembers a failed read per
// image for the process, so later builds do not wait for it again.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { createServer } from 'node:http'
import { repoRoot } from './support/package-install.mjs'
import { startEmulator } from './support/emulator.mjs'
import { serveStatic } from './support/static-server.mjs'
import { launchBrowser } from './support/browser.mjs'

const require = createRequire(import.meta.url)
const { Template } = require(`${repoRoot}/pkg/node/index.cjs`)

let emu
before(async () => {
  emu = await startEmulator(['--step-ms', '30'])
})
after(() => emu?.stop())

test('a browser reads no public registry without registryUrl, and inherits the config with it', async () => {
  const site = await serveStatic(repoRoot)
  const browser = await launchBrowser()
  try {
    const page = await browser.newPage()
    const requested = []
    page.on('request', (r) => requested.push(new URL(r.url()).origin))
    const url = `${site.url}/tests/js/pages/registry.html?api=${encodeURIComponent(emu.url)}&key=${encodeURIComponent(emu.key)}`
    await page.goto(url)
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 60000 })
    const result = await page.evaluate(() => window.__result)
    await page.close()
    assert.equal(result.unexpected, undefined, result.unexpected)
    // Only the page's own origin and the API were asked: no Docker Hub, no token service.
    assert.deepEqual([...new Set(requested)].sort(), [site.url, emu.url].sort())
    assert.equal(result.skip.length, 1, JSON.stringify(result.skip))
    assert.equal(result.skip[0].level, 'debug')
    assert.match(result.skip[0].message, /browsers cannot read public registries \(CORS\)\. Pass registryUrl/)
    assert.equal(result.skipWarns, 0)
    assert.equal(result.inherited, 'python3')
    assert.equal(result.readWarns, 0)
  } finally {
    await browser.close()
    await site.close()
  }
})

test('Node remembers a failed read per image: one read per failing image, none on later builds', async () => {
  const asked = []
  const registry = createServer((req, res) => {
    asked.push(req.url)
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}')
  })
  await new Promise((r) => registry.listen(0, '127.0.0.1', r))
  const registryUrl = `http://127.0.0.1:${registry.address().port}`
  const conn = { apiUrl: emu.url, apiKey: emu.key, registryUrl }
  try {
    const warns = async (image, name) => {
      const seen = []
      await Template.build(Template().fromImage(image), name, { ...conn, onBuildLogs: (e) => seen.push(e) })
      return seen.filter((e) => e.level === 'warn').map((e) => e.message)
    }
    const first = await warns('team/missing-a:1', 'registry-memo-1')
    const afterFirst = asked.length
    assert.ok(afterFirst >= 1, 'the first build read the registry')
    assert.equal(first.length, 1)
    assert.match(first[0], /^Could not read team\/missing-a:1: /)
    // The same image again, in another template and build: no request, the same warning.
    const second = await warns('team/missing-a:1', 'registry-memo-2')
    assert.equal(asked.length, afterFirst, 'no second read of the same image')
    assert.deepEqual(second, first)
    assert.match(await Template.toJSON(Template().fromImage('team/missing-a:1'), false, { registryUrl }), /"fromImage"/)
    assert.equal(asked.length, afterFirst)
    // Another image is read.
    await warns('team/missing-b:1', 'registry-memo-3')
    assert.ok(asked.length > afterFirst, 'a different image is read')
  } finally {
    await new Promise((r) => registry.close(r))
  }
})
