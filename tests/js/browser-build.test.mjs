// The browser build of the package in headless Chromium, on a page from another
// origin than the emulator (CORS): a build with logs in order, a failing step,
// and cancellation.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { repoRoot } from './support/package-install.mjs'
import { startEmulator } from './support/emulator.mjs'
import { serveStatic } from './support/static-server.mjs'
import { launchBrowser, runPage } from './support/browser.mjs'
import { createRequire } from 'node:module'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let emu, site, browser
before(async () => {
  emu = await startEmulator(['--step-ms', '60'])
  site = await serveStatic(repoRoot)
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await site?.close()
  await emu?.stop()
})

test('build, failure and cancellation from a page on another origin', async () => {
  const url = `${site.url}/tests/js/pages/build-flow.html?api=${encodeURIComponent(emu.url)}&key=${encodeURIComponent(emu.key)}`
  const { result } = await runPage(browser, url, { timeoutMs: 60000 })
  assert.equal(result.unexpected, undefined)
  assert.equal(result.ok.status, 'ready')
  assert.equal(result.ok.first, true)
  assert.equal(result.ok.last, true)
  assert.deepEqual(result.ok.delivered, result.ok.server)
  assert.ok(result.ok.server.length >= 4)
  assert.deepEqual(result.fail, { isBuildError: true, step: '1', message: result.fail.message })
  assert.match(result.fail.message, /__fail__/)
  assert.deepEqual(result.abort, { isAbortError: true, name: 'AbortError' })
})

test('copy() from in-memory files, a File list and a directory handle, hashed like the same files on disk', async () => {
  const url = `${site.url}/tests/js/pages/copy.html?api=${encodeURIComponent(emu.url)}&key=${encodeURIComponent(emu.key)}`
  const { result } = await runPage(browser, url, { timeoutMs: 60000 })
  assert.equal(result.unexpected, undefined)
  // Uploads run in parallel and are logged as they finish (as in the official SDK): any order.
  assert.equal(result.memoryBuild.ok, true)
  assert.deepEqual([...result.memoryBuild.uploaded].sort(), ["Uploaded 'app'", "Uploaded 'notes.txt'"])
  assert.equal(result.fileListBuild, true)
  // A FileSystemDirectoryHandle holding the same app/ tree hashes the same, and builds.
  assert.equal(result.handleHash, result.hashes[0])
  assert.equal(result.handleBuild, true)
  assert.match(result.noSourceDockerfile, /^COPY a.txt \/x$/m)
  assert.match(result.noSource, /fileContext/)
  // The same tree on disk (files 0644, directories 0755, as browser sources are
  // hashed) gives the same hashes in Node.
  const dir = mkdtempSync(join(tmpdir(), 'same-tree-'))
  mkdirSync(join(dir, 'app'), { mode: 0o755 })
  writeFileSync(join(dir, 'app/main.py'), 'print(1)\n', { mode: 0o644 })
  writeFileSync(join(dir, 'app/util.py'), 'X=1\n', { mode: 0o644 })
  writeFileSync(join(dir, 'notes.txt'), 'hello\n', { mode: 0o644 })
  const { Template } = createRequire(import.meta.url)(`${repoRoot}/pkg/node/index.cjs`)
  const json = JSON.parse(await Template.toJSON(Template({ fileContextPath: dir }).fromTemplate('base').copy('app', '/app').copy('notes.txt', '/notes.txt')))
  assert.deepEqual(result.hashes, json.steps.filter((s) => s.type === 'COPY').map((s) => s.filesHash))
})
