// The built package (Node) against the emulator: full builds with logs in order,
// a failing step, a cached rebuild, background build resumed by a second client,
// tags, auth failure, cancellation, a fault storm, and the docs' seed example.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './support/package-install.mjs'
import { startEmulator } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const pkg = require(`${repoRoot}/pkg/node/index.cjs`)
const { Template, Sandbox, BuildError, AuthenticationError, AbortError, LogEntry, LogEntryStart, LogEntryEnd, waitForPort } = pkg
const run = promisify(execFile)

let emu
let conn
before(async () => {
  emu = await startEmulator(['--step-ms', '40'])
  conn = { apiUrl: emu.url, apiKey: emu.key }
})
after(() => emu?.stop())

const pythonApp = () =>
  Template()
    .fromImage('python:3.12', undefined, { inheritConfig: false })
    .pipInstall(['flask'])
    .setEnvs({ APP_ENV: 'test' })
    .setStartCmd('python -m http.server 8000', waitForPort(8000))

test('build: every log entry once, in order, Start first and End last', async () => {
  const seen = []
  const info = await Template.build(pythonApp(), 'flow-ok', { ...conn, tags: ['v1'], onBuildLogs: (e) => seen.push(e) })
  assert.equal(info.name, 'flow-ok')
  assert.deepEqual(info.tags, ['v1'])
  assert.ok(seen[0] instanceof LogEntryStart)
  assert.ok(seen.at(-1) instanceof LogEntryEnd)
  assert.ok(seen.every((e) => e instanceof LogEntry && e.timestamp instanceof Date))
  // The server's entries, in full, are exactly those delivered between our own messages.
  const all = await Template.getBuildStatus(info, { ...conn, logsOffset: 0 })
  assert.equal(all.status, 'ready')
  const fromServer = seen.slice(seen.findIndex((e) => e.message === 'Waiting for logs...') + 1, -1)
  assert.deepEqual(fromServer.map((e) => e.message), all.logEntries.map((e) => e.message))
  assert.ok(fromServer.length >= 5)
})

test('a __fail__ step rejects with BuildError naming the step and the call', async () => {
  const t = Template().fromTemplate('base').runCmd('echo fine').runCmd('exit 1 # __fail__')
  await assert.rejects(Template.build(t, 'flow-fail', conn), (e) => {
    assert.ok(e instanceof BuildError)
    assert.equal(e.name, 'BuildError')
    assert.equal(e.step, '2')
    assert.match(e.message, /__fail__/)
    assert.equal(e.stepDescription, 'runCmd("exit 1 # __fail__")')
    return true
  })
})

test('an unchanged rebuild shows cached steps', async () => {
  const logs = []
  await Template.build(pythonApp(), 'flow-cache', conn)
  await Template.build(pythonApp(), 'flow-cache', { ...conn, onBuildLogs: (e) => logs.push(e.message) })
  assert.ok(logs.some((m) => /CACHED/.test(m)), logs.join('\n'))
})

test('background build, resumed by id from a second client process', async () => {
  const info = await Template.buildInBackground(Template().fromTemplate('base').runCmd('echo a').runCmd('echo b'), 'flow-bg', conn)
  assert.ok(info.templateId && info.buildId)
  const script = join(mkdtempSync(join(tmpdir(), 'client2-')), 'poll.cjs')
  writeFileSync(
    script,
    `const { Template } = require(${JSON.stringify(`${repoRoot}/pkg/node/index.cjs`)})
const conn = ${JSON.stringify(conn)}
;(async () => {
  let offset = 0, s, messages = []
  for (let i = 0; i < 200; i++) {
    s = await Template.getBuildStatus(${JSON.stringify({ templateId: info.templateId, buildId: info.buildId })}, { ...conn, logsOffset: offset })
    offset += s.logEntries.length
    messages.push(...s.logEntries.map((e) => e.message))
    if (s.status === 'ready' || s.status === 'error') break
    await new Promise((r) => setTimeout(r, 100))
  }
  console.log(JSON.stringify({ status: s.status, offset, messages }))
})()`,
  )
  const { stdout } = await run('node', [script], { timeout: 60000 })
  const r = JSON.parse(stdout)
  assert.equal(r.status, 'ready')
  assert.equal(r.offset, r.messages.length)
  assert.ok(r.messages.some((m) => m.includes('echo b')))
})

test('tags: assign, list, remove', async () => {
  const info = await Template.build(Template().fromTemplate('base').runCmd('echo tags'), 'flow-tags:v1', conn)
  const assigned = await Template.assignTags('flow-tags:v1', ['production', 'stable'], conn)
  assert.equal(assigned.buildId, info.buildId)
  let tags = (await Template.getTags(info.templateId, conn)).map((t) => t.tag).sort()
  assert.deepEqual(tags, ['production', 'stable', 'v1'])
  await Template.removeTags('flow-tags', 'stable', conn)
  tags = (await Template.getTags(info.templateId, conn)).map((t) => t.tag).sort()
  assert.deepEqual(tags, ['production', 'v1'])
  assert.equal(await Template.exists('flow-tags', conn), true)
  assert.equal(await Template.exists('flow-never-built', conn), false)
})

test('list, get and delete', async () => {
  const info = await Template.build(Template().fromTemplate('base').runCmd('echo listed'), 'flow-list', conn)
  const pages = Template.list({ ...conn, limit: 100 })
  const { templates: all, page } = await pages.nextPage()
  assert.equal(page, 1)
  assert.ok(all.some((t) => t.templateId === info.templateId))
  const got = await Template.get(info.templateId, conn)
  assert.equal(got.templateId, info.templateId)
  assert.ok(got.createdAt instanceof Date)
  assert.equal(await Template.delete(info.templateId, conn), true)
  assert.equal(await Template.delete(info.templateId, conn), false)
})

test('a wrong API key rejects with AuthenticationError before any build', async () => {
  const seen = []
  await assert.rejects(Template.build(pythonApp(), 'flow-auth', { ...conn, apiKey: 'wrong', onBuildLogs: (e) => seen.push(e) }), AuthenticationError)
  assert.ok(seen.at(-1) instanceof LogEntryEnd, 'the End entry is delivered on failure too')
})

test('cancellation mid-build rejects with AbortError within one poll interval', async () => {
  const slow = await startEmulator(['--step-ms', '400', '--api-key', 'k'])
  try {
    const ac = new AbortController()
    const seen = []
    const started = Date.now()
    setTimeout(() => ac.abort(), 900)
    await assert.rejects(
      Template.build(Template().fromTemplate('base').runCmd('a').runCmd('b').runCmd('c').runCmd('d'), 'flow-abort', { apiUrl: slow.url, apiKey: 'k', signal: ac.signal, onBuildLogs: (e) => seen.push(e) }),
      (e) => e instanceof AbortError && e.name === 'AbortError',
    )
    assert.ok(Date.now() - started < 900 + 1500, `aborted after ${Date.now() - started} ms`)
    assert.ok(seen.at(-1) instanceof LogEntryEnd)
  } finally {
    await slow.stop()
  }
})

test('a storm of 500s and 429s is survived, with every log line once', async () => {
  const stormy = await startEmulator(['--step-ms', '30', '--api-key', 'k', '--fault-error-rate', '0.25', '--fault-429-rate', '0.15', '--seed', '7'])
  try {
    // The POSTs (request build, trigger) are never retried on a 500 (the server may
    // have acted on them): a caller retries those itself, here at most 5 times.
    let info
    let seen = []
    for (let attempt = 0; attempt < 5 && !info; attempt++) {
      seen = []
      try {
        info = await Template.build(Template().fromTemplate('base').runCmd('echo one').runCmd('echo two'), 'flow-storm', {
          apiUrl: stormy.url, apiKey: 'k', onBuildLogs: (e) => seen.push(e.message),
        })
      } catch (e) {
        assert.ok(e instanceof BuildError && /^500/.test(e.message), `unexpected ${e.name}: ${e.message}`)
      }
    }
    assert.ok(info, 'built within 5 attempts')
    const messages = seen.slice(seen.indexOf('Waiting for logs...') + 1, -1)
    assert.equal(new Set(messages).size, messages.length, 'no entry delivered twice')
    assert.ok(messages.some((m) => m.includes('echo two')))
  } finally {
    await stormy.stop()
  }
})

test('the seed example from the documentation runs as written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seed-'))
  // The docs' code, verbatim apart from the package name.
  writeFileSync(
    join(dir, 'seed.mjs'),
    `import { Sandbox, Template } from ${JSON.stringify(`${repoRoot}/pkg/node/index.mjs`)}

const template = Template().fromImage("python:3.12")

const build = await Template.build(template, "my-python-template", {
  cpuCount: 2,
  memoryMB: 1024,
})

const sandbox = await Sandbox.create(build.templateId)
console.log(sandbox.sandboxId)

await sandbox.kill()
`,
  )
  const { stdout } = await run('node', ['seed.mjs'], {
    cwd: dir,
    timeout: 60000,
    env: { ...process.env, NOVITA_API_URL: emu.url, NOVITA_API_KEY: emu.key },
  })
  assert.match(stdout.trim(), /^\S+$/)
})

test('image config is inherited from a registry (the emulator serves a small one)', async () => {
  const registryUrl = `${emu.url}/registry`
  const t = Template().fromPythonImage('3.12').pipInstall('flask')
  const body = JSON.parse(await Template.toJSON(t, true, { registryUrl }))
  // python:3.12's config there: Env PATH, LANG, PYTHON_VERSION; Cmd ["python3"].
  assert.equal(body.startCmd, 'python3')
  assert.equal(body.readyCmd, 'sleep 20')
  const envStep = body.steps.at(-1)
  assert.equal(envStep.args[1], 'root')
  const script = Buffer.from(/^echo (\S+) \| base64 -d/.exec(envStep.args[0])[1], 'base64').toString()
  assert.match(script, /export PYTHON_VERSION="\$v"/)
  // Applied to the template object, as the official SDK does (visible in toDockerfile).
  assert.match(Template.toDockerfile(t), /^ENTRYPOINT python3$/m)
  const seen = []
  await Template.build(Template().fromPythonImage('3.12'), 'flow-inherit', { ...conn, registryUrl, onBuildLogs: (e) => seen.push(e) })
  assert.ok(!seen.some((e) => e.level === 'warn'))
})

test('an unreadable registry logs a warn entry and builds without inheriting', async () => {
  const seen = []
  await Template.build(Template().fromImage('team/app:1'), 'flow-no-registry', {
    ...conn,
    registryUrl: `${emu.url}/registry`,
    onBuildLogs: (e) => seen.push(e),
  })
  const warn = seen.find((e) => e.level === 'warn')
  assert.ok(warn, 'a warn entry')
  assert.match(warn.message, /^Could not read team\/app:1: no such image: the registry has no 'team\/app:1' \(HTTP 404\)/)
})

test('toJSON carries registry secrets like the wire format, and redacts them on request', async () => {
  const t = Template().fromImage('registry.example.com/team/app:1', { username: 'robot', password: 's3cret-pw' }, { inheritConfig: false })
  assert.match(await Template.toJSON(t), /"password": "s3cret-pw"/)
  const shown = await Template.toJSON(t, true, { redact: true })
  assert.doesNotMatch(shown, /s3cret-pw/)
  assert.match(shown, /"password": "<redacted>"/)
  assert.match(shown, /"username": "robot"/)
})
