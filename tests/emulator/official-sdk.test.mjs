// The official novita-sandbox SDK, unchanged, against the emulator binary.
// Run: cargo build -p novita-emulator && node --test tests/emulator/
// The binary comes from $NOVITA_EMULATOR_BIN (default target/debug/novita-emulator).
import { test, before, after, describe } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  Template,
  TemplateApi,
  Sandbox,
  BuildError,
  AuthenticationError,
  RateLimitError,
} from 'novita-sandbox'
import { startEmulator as startShared } from '../js/support/emulator.mjs'

const T = { timeout: 30_000 }

// The emulator is started by the shared test helper, with the fast step this suite uses.
const startEmulator = (extraArgs = []) => startShared(['--step-ms', '20', ...extraArgs])
const stopEmulator = (emu) => emu?.stop()

let emu
let opts
let ctxDir
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

before(async () => {
  emu = await startEmulator()
  opts = { apiUrl: emu.url, apiKey: emu.key }
  ctxDir = mkdtempSync(path.join(tmpdir(), 'emu-ctx-'))
  writeFileSync(path.join(ctxDir, 'app.py'), 'print("hello")\n')
  writeFileSync(path.join(ctxDir, 'requirements.txt'), 'flask\n')
  mkdirSync(path.join(ctxDir, 'lib'))
  writeFileSync(path.join(ctxDir, 'lib', 'helpers.py'), 'X = 1\n')
})

after(async () => {
  await stopEmulator(emu)
  if (ctxDir) rmSync(ctxDir, { recursive: true, force: true })
})

function appTemplate() {
  return Template({ fileContextPath: ctxDir })
    .fromTemplate('base')
    .copy('app.py', '/app/app.py')
    .copy('lib', '/app/lib')
    .runCmd('pip install flask')
    .setStartCmd('python /app/app.py', 'sleep 1')
}

describe('official SDK against the emulator', () => {
  test('Template.build uploads, builds, delivers logs and tags; a rebuild is cached', T, async () => {
    const logs = []
    const info = await Template.build(appTemplate(), 'sdk-app', {
      ...opts,
      tags: ['v1', 'stable'],
      onBuildLogs: (e) => logs.push(e),
    })
    assert.equal(info.name, 'sdk-app')
    assert.deepEqual(info.tags, ['v1', 'stable'])
    assert.match(info.templateId, /^[a-z0-9]{20}$/)
    const text = logs.map((e) => e.message)
    assert.ok(text.some((m) => m.startsWith("Uploaded 'app.py'")), text.join('\n'))
    assert.ok(text.includes('[base] FROM TEMPLATE base'), text.join('\n'))
    assert.ok(text.includes('[builder 1/3] COPY app.py /app/app.py'))
    assert.ok(text.includes('[builder 3/3] RUN pip install flask'))
    assert.ok(text.includes('Successfully installed flask'))
    assert.ok(text.includes('[finalize] running start command: python /app/app.py'))
    assert.ok(text.includes('ready command succeeded'))
    for (const e of logs) assert.ok(!Number.isNaN(e.timestamp.getTime()))

    const again = []
    await Template.build(appTemplate(), 'sdk-app', { ...opts, tags: ['v1'], onBuildLogs: (e) => again.push(e.message) })
    assert.ok(again.some((m) => m.startsWith("Skipping upload of 'app.py'")), again.join('\n'))
    assert.ok(again.includes('CACHED [builder 1/3] COPY app.py /app/app.py'), again.join('\n'))
    assert.ok(again.includes('CACHED [builder 3/3] RUN pip install flask'))

    const forced = []
    await Template.build(appTemplate(), 'sdk-app', { ...opts, skipCache: true, onBuildLogs: (e) => forced.push(e.message) })
    assert.ok(!forced.some((m) => m.startsWith('CACHED')), forced.join('\n'))
  })

  test('buildInBackground + getBuildStatus polling reaches ready', T, async () => {
    const t = Template().fromTemplate('base').runCmd('echo one').runCmd('echo two')
    const info = await Template.buildInBackground(t, 'sdk-bg', opts)
    let status
    let entries = []
    for (let i = 0; i < 200; i++) {
      status = await Template.getBuildStatus({ templateId: info.templateId, buildId: info.buildId }, { ...opts, logsOffset: entries.length })
      entries = entries.concat(status.logEntries)
      if (status.status !== 'building' && status.status !== 'waiting') break
      await sleep(25)
    }
    assert.equal(status.status, 'ready')
    assert.ok(entries.some((e) => e.message === '[builder 2/2] RUN echo two'))
    assert.equal(status.logs.length, status.logEntries.length)
  })

  test('tags: assignTags, getTags, removeTags', T, async () => {
    await Template.build(Template().fromTemplate('base').runCmd('echo tags'), 'sdk-tags:v1', opts)
    const assigned = await Template.assignTags('sdk-tags:v1', ['prod', 'stable'], opts)
    assert.deepEqual(assigned.tags, ['prod', 'stable'])
    let tags = await Template.getTags('sdk-tags', opts)
    assert.deepEqual(tags.map((t) => t.tag).sort(), ['prod', 'stable', 'v1'])
    assert.ok(tags.every((t) => t.buildId === assigned.buildId && t.createdAt instanceof Date))
    await Template.removeTags('sdk-tags', ['stable'], opts)
    tags = await Template.getTags('sdk-tags', opts)
    assert.deepEqual(tags.map((t) => t.tag).sort(), ['prod', 'v1'])
  })

  test('exists, list, get, delete', T, async () => {
    const info = await Template.build(Template().fromTemplate('base'), 'sdk-crud', opts)
    assert.equal(await Template.exists('sdk-crud', opts), true)
    assert.equal(await Template.aliasExists('sdk-no-such-template', opts), false)
    const page = await Template.list({ ...opts, limit: 100 }).nextPage()
    assert.ok(page.templates.some((t) => t.templateId === info.templateId && t.buildStatus === 'ready'))
    const got = await Template.get(info.templateId, opts)
    assert.equal(got.buildId, info.buildId)
    assert.deepEqual(got.names, ['sdk-crud'])
    assert.equal(await TemplateApi.deleteTemplate(info.templateId, opts), true)
    assert.equal(await Template.exists('sdk-crud', opts), false)
    assert.equal(await TemplateApi.deleteTemplate(info.templateId, opts), false)
  })

  test('Sandbox.create and kill', T, async () => {
    await Template.build(Template().fromTemplate('base'), 'sdk-sbx', opts)
    const sbx = await Sandbox.create('sdk-sbx', opts)
    assert.match(sbx.sandboxId, /^sbx/)
    await sbx.kill()
    assert.equal(await Sandbox.kill(sbx.sandboxId, opts), false)
  })

  test('failure triggers surface as BuildError naming the failure', T, async () => {
    await assert.rejects(
      Template.build(Template().fromTemplate('base').runCmd('echo ok').runCmd('make __fail__'), 'sdk-fail', opts),
      (e) => e instanceof BuildError && /RUN step 2 failed: 'make __fail__'/.test(e.message),
    )
    await assert.rejects(
      Template.build(Template().fromTemplate('base').setStartCmd('server', 'check __fail__'), 'sdk-fail-ready', opts),
      (e) => e instanceof BuildError && /ready command 'check __fail__' did not succeed/.test(e.message),
    )
    await assert.rejects(
      Template.build(Template().fromImage('ghost__missing__:1', undefined, { inheritConfig: false }), 'sdk-fail-pull', opts),
      (e) => e instanceof BuildError && /failed to pull image 'ghost__missing__:1'/.test(e.message),
    )
  })

  test("the docs' seed example: fromImage('python:3.12'), build, Sandbox.create, kill", T, async () => {
    // The SDK tries the real registry for the image config first; offline it retries
    // for ~3 s, logs a warn and builds without the inherited config.
    const logs = []
    const build = await Template.build(Template().fromImage('python:3.12'), 'my-python-template', {
      ...opts,
      cpuCount: 2,
      memoryMB: 1024,
      onBuildLogs: (e) => logs.push(e),
    })
    assert.ok(logs.some((e) => e.message === '[base] FROM python:3.12'), logs.map(String).join('\n'))
    const sandbox = await Sandbox.create(build.templateId, opts)
    assert.ok(sandbox.sandboxId)
    await sandbox.kill()
  })

  test('a wrong key gives AuthenticationError', T, async () => {
    await assert.rejects(
      Template.exists('sdk-app', { ...opts, apiKey: 'wrong-key' }),
      (e) => e instanceof AuthenticationError,
    )
  })
})

describe('fault injection', () => {
  let faulty
  before(async () => { faulty = await startEmulator(['--fault-429-rate', '1']) })
  after(async () => { await stopEmulator(faulty) })

  test('--fault-429-rate 1 makes every call a RateLimitError', T, async () => {
    await assert.rejects(
      Template.exists('anything', { apiUrl: faulty.url, apiKey: faulty.key }),
      (e) => e instanceof RateLimitError,
    )
  })
})
