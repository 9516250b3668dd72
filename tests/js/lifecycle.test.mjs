// The build lifecycle a console relies on, against the emulator: step progress
// (cached steps, a failing step, each report just before the entry that caused it),
// the whole-build deadline, cancel (the default leaves the build to the server,
// deleteOnAbort deletes only a template the build created), the dry-run plan (Node
// and Chromium) and the hints of known failure causes.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:http'
import { repoRoot } from './support/package-install.mjs'
import { startEmulator } from './support/emulator.mjs'
import { serveStatic } from './support/static-server.mjs'
import { launchBrowser, runPage } from './support/browser.mjs'

const require = createRequire(import.meta.url)
const { Template, BuildError, AbortError, RateLimitError, TemplateBuildTimeoutError, LogEntry } = require(`${repoRoot}/pkg/node/index.cjs`)

let emu
let conn
before(async () => {
  emu = await startEmulator(['--step-ms', '60', '--step-timeout-ms', '300'])
  conn = { apiUrl: emu.url, apiKey: emu.key }
})
after(() => emu?.stop())

const app = (extra = 'echo app') =>
  Template().fromImage('python:3.12', undefined, { inheritConfig: false }).pipInstall('flask').runCmd(extra).setEnvs({ A: '1' })

/** Builds, recording log entries and progress reports in one ordered stream. */
async function recorded(t, name, options = {}) {
  const events = []
  const run = Template.build(t, name, {
    ...conn,
    ...options,
    onBuildLogs: (e) => events.push({ log: e }),
    onBuildProgress: (p) => events.push({ progress: p }),
    onBuildRequested: (b) => events.push({ requested: b }),
  })
  const outcome = await run.then((info) => ({ info }), (error) => ({ error }))
  return { ...outcome, events, progress: events.filter((e) => e.progress).map((e) => e.progress) }
}

test('progress: each step started and finished, in order, with its call, just before its first entry', async () => {
  const { info, events, progress } = await recorded(app('echo progress-1'), 'life-progress')
  assert.ok(info, 'built')
  // setEnvs adds the runtime-environment step (4) when the template is serialized.
  const steps = ['base', '1', '2', '3', '4', 'finalize']
  const total = steps.length
  assert.deepEqual(progress.map((p) => `${p.step}:${p.state}`), steps.flatMap((s) => [`${s}:started`, `${s}:finished`]))
  for (const p of progress) {
    assert.equal(p.total, total)
    assert.equal(p.index, steps.indexOf(p.step) + 1)
    if (p.state === 'finished') assert.ok(p.durationMs >= 0)
  }
  assert.equal(progress.find((p) => p.step === '1').description, 'pipInstall("flask")')
  assert.equal(progress.find((p) => p.step === '2').description, 'runCmd("echo progress-1")')
  assert.match(progress.find((p) => p.step === '4').description, /^setEnvs/)
  // The report of step 1 starting comes right before the step's first log entry.
  const i = events.findIndex((e) => e.progress?.step === '1' && e.progress.state === 'started')
  assert.ok(events[i + 1].log instanceof LogEntry)
  assert.match(events[i + 1].log.message, /\[builder 1\/4\] RUN pip install flask/)
})

test('onBuildRequested gives the ids as soon as the server created the build, before any step', async () => {
  const { info, events } = await recorded(app('echo requested'), 'life-requested')
  const requested = events.filter((e) => e.requested).map((e) => e.requested)
  assert.deepEqual(requested, [{ templateId: info.templateId, buildId: info.buildId }])
  // Right after the "Template created" entry, before the build is triggered.
  const at = events.findIndex((e) => e.requested)
  assert.match(events[at - 1].log.message, /^Template created with ID/)
  assert.ok(events.slice(at).some((e) => e.log?.message === 'Starting building...'))
})

test('progress: an unchanged rebuild reports its steps cached', async () => {
  await recorded(app('echo cached-1'), 'life-cached')
  const { info, progress } = await recorded(app('echo cached-1'), 'life-cached')
  assert.ok(info)
  const finished = progress.filter((p) => p.state === 'finished')
  for (const step of ['1', '2', '3', '4']) assert.equal(finished.find((p) => p.step === step).cached, true, `step ${step} cached`)
})

test('progress: a failing step is reported failed, with its call, and the BuildError names it', async () => {
  const { error, progress } = await recorded(app('make __fail__'), 'life-fail')
  assert.ok(error instanceof BuildError)
  assert.equal(error.step, '2')
  assert.equal(error.stepDescription, 'runCmd("make __fail__")')
  assert.ok(error.templateId && error.buildId, 'the failed build is named')
  const failed = progress.filter((p) => p.state === 'failed')
  assert.deepEqual(failed.map((p) => [p.step, p.description]), [['2', 'runCmd("make __fail__")']])
  assert.ok(!progress.some((p) => p.step === '3' || p.step === 'finalize'), 'no later step reported')
})

test('deadline: timeoutMs rejects with TemplateBuildTimeoutError saying how far the build got', async () => {
  const slow = app('sleep 1').runCmd('sleep 2').runCmd('sleep 3').runCmd('sleep 4')
  const started = Date.now()
  const { error } = await recorded(slow, 'life-deadline', { timeoutMs: 400 })
  assert.ok(error instanceof TemplateBuildTimeoutError, `${error?.name}: ${error?.message}`)
  assert.ok(error instanceof BuildError, 'a BuildError, as in the official typings')
  assert.match(error.message, /did not finish within 400 ms/)
  assert.match(error.message, /step \d+ of \d+|goes on/)
  assert.ok(Date.now() - started < 5000, 'rejected near the deadline')
  // waitForBuild has the same deadline.
  const bg = await Template.buildInBackground(slow, 'life-deadline-bg', conn)
  await assert.rejects(Template.waitForBuild(bg, { ...conn, timeoutMs: 300 }), TemplateBuildTimeoutError)
})

test('waitForBuild with the template reports each step with its call; a template option that is not a template is refused before any request', async () => {
  const t = app('echo watched')
  const bg = await Template.buildInBackground(t, 'life-watch-template', conn)
  const progress = []
  const result = await Template.waitForBuild(bg, { ...conn, template: t, onBuildProgress: (p) => progress.push(p) })
  assert.equal(result.buildId, bg.buildId, 'resolves once the build is ready')
  assert.ok(result.logsOffset > 0)
  const finished = progress.filter((p) => p.state === 'finished').map((p) => p.step)
  assert.deepEqual(finished, ['base', '1', '2', '3', '4', 'finalize'])
  assert.equal(progress.find((p) => p.step === '2').description, 'runCmd("echo watched")')
  assert.ok(progress.every((p) => p.total === 6), 'the total comes from the template')
  await assert.rejects(
    Template.waitForBuild(bg, { ...conn, template: { steps: [] } }),
    (e) => e.name === 'InvalidArgumentError' && /option `template` must be a template made with Template\(\), got/.test(e.message),
  )
})

/** An emulator whose steps take 500 ms: a build is still running when it is cancelled. */
async function slowEmulator() {
  const slow = await startEmulator(['--step-ms', '500'])
  return { slow, c: { apiUrl: slow.url, apiKey: slow.key } }
}

test('cancel (default): the client stops, the build goes on on the server, the error says so', async (t) => {
  const { slow, c: conn } = await slowEmulator()
  t.after(() => slow.stop())
  const ac = new AbortController()
  let ids
  const run = Template.build(app('sleep 5').runCmd('sleep 6'), 'life-cancel', {
    ...conn,
    signal: ac.signal,
    onBuildLogs: (e) => {
      const m = /Template created with ID: (\S+), Build ID: (\S+)/.exec(e.message)
      if (m) ids = { templateId: m[1], buildId: m[2] }
      if (e.message.startsWith('[base]')) ac.abort()
    },
  })
  const error = await run.then(() => null, (e) => e)
  assert.ok(error instanceof AbortError, `${error?.name}: ${error?.message}`)
  assert.equal(error.serverBuild, 'continues')
  assert.match(error.message, /goes on on the server/)
  assert.equal(error.templateId, ids.templateId)
  // Nothing was deleted: the template and its build are still there.
  assert.equal(await Template.exists('life-cancel', conn), true)
  const status = await Template.getBuildStatus(ids, conn)
  assert.ok(['building', 'ready'].includes(status.status), status.status)
})

test('cancel with deleteOnAbort: a template the build created is deleted; one with earlier builds is not', async (t) => {
  const { slow, c: conn } = await slowEmulator()
  t.after(() => slow.stop())
  const cancelAfterStart = async (name) => {
    const ac = new AbortController()
    const run = Template.build(app('sleep 5').runCmd('sleep 6'), name, {
      ...conn,
      signal: ac.signal,
      deleteOnAbort: true,
      onBuildLogs: (e) => { if (e.message.startsWith('[base]')) ac.abort() },
    })
    return run.then(() => null, (e) => e)
  }
  const fresh = await cancelAfterStart('life-cancel-new')
  assert.ok(fresh instanceof AbortError)
  assert.equal(fresh.serverBuild, 'deleted')
  assert.match(fresh.message, /which this build created, was deleted/)
  assert.equal(await Template.exists('life-cancel-new', conn), false)

  await Template.build(Template().fromTemplate('base').runCmd('echo first'), 'life-cancel-old', conn)
  const old = await cancelAfterStart('life-cancel-old')
  assert.ok(old instanceof AbortError)
  assert.equal(old.serverBuild, 'continues')
  assert.equal(await Template.exists('life-cancel-old', conn), true)
})

function context() {
  const dir = mkdtempSync(join(tmpdir(), 'life-plan-'))
  mkdirSync(join(dir, 'app'))
  writeFileSync(join(dir, 'app/main.py'), 'print("hi")\n')
  writeFileSync(join(dir, 'app/util.py'), 'X = 1\n')
  writeFileSync(join(dir, 'notes.txt'), 'hello\n')
  return dir
}

test('plan (Node): steps, files, bytes, hashes, and which archives the server already has', async () => {
  const dir = context()
  const t = () => Template({ fileContextPath: dir }).fromImage('node:22', undefined, { inheritConfig: false })
    .copy('app', '/app').copy('notes.txt', '/notes.txt', { forceUpload: true }).runCmd('echo planned')
  const before = emu.requests?.().length
  const fresh = await Template.plan(t(), 'life-plan', conn)
  assert.equal(fresh.name, 'life-plan')
  assert.equal(fresh.templateId, null)
  assert.deepEqual(fresh.steps.map((s) => s.step), ['base', '1', '2', '3', 'finalize'])
  assert.equal(fresh.steps[1].description, 'copy("app", "/app")')
  assert.deepEqual(fresh.copies.map((c) => [c.src, c.step, c.files, c.bytes, c.onServer, c.upload]), [
    ['app', '1', 2, 18, null, true],
    ['notes.txt', '2', 1, 6, null, true],
  ])
  assert.equal(fresh.uploads, 2)
  assert.equal(fresh.uploadBytes, 24)
  // The plan's hashes are the build's.
  const json = JSON.parse(await Template.toJSON(t()))
  assert.deepEqual(fresh.copies.map((c) => c.filesHash), json.steps.filter((s) => s.type === 'COPY').map((s) => s.filesHash))
  // Nothing was built or uploaded.
  assert.equal(await Template.exists('life-plan', conn), false)
  if (before !== undefined) assert.ok(emu.requests().slice(before).every((r) => r.method === 'GET'))

  // After a build the server has both archives; forceUpload still uploads its own.
  const info = await Template.build(t(), 'life-plan', conn)
  const again = await Template.plan(t(), 'life-plan:v2', conn)
  assert.equal(again.templateId, info.templateId)
  assert.deepEqual(again.copies.map((c) => [c.onServer, c.upload]), [[true, false], [true, true]])
  assert.equal(again.uploads, 1)
  assert.equal(again.uploadBytes, 6)
})

test('plan (Chromium): the same plan from a page, with files given in memory', async () => {
  const site = await serveStatic(repoRoot)
  const browser = await launchBrowser()
  try {
    const url = `${site.url}/tests/js/pages/plan.html?api=${encodeURIComponent(emu.url)}&key=${encodeURIComponent(emu.key)}`
    const { result } = await runPage(browser, url, { timeoutMs: 60000 })
    assert.equal(result.unexpected, undefined, result.unexpected)
    assert.equal(result.templateId, null)
    assert.deepEqual(result.copies.map((c) => [c.src, c.files, c.bytes, c.upload]), [['app', 2, 18, true]])
    // The same files on disk hash the same in Node.
    const dir = context()
    const node = await Template.plan(Template({ fileContextPath: dir }).fromImage('node:22', undefined, { inheritConfig: false }).copy('app', '/app'), 'life-plan-page', conn)
    assert.equal(result.copies[0].filesHash, node.copies[0].filesHash)
  } finally {
    await browser.close()
    await site.close()
  }
})

test('plan: bad arguments are refused before any request', async () => {
  await assert.rejects(Template.plan(app(), 42, conn), /Template.plan: `name` must be a string/)
  await assert.rejects(Template.plan({}, 'x', conn), /Template.plan: the first argument must be a template/)
})

test('hints: known failure causes carry a reason, a hint and the failing step\'s last lines', async () => {
  const cases = [
    [app('python train.py __oom__'), 'out-of-memory', /memoryMB/],
    [app('make __disk__'), 'disk-full', /disk space/],
    [app('make __timeout__'), 'step-timeout', /shorter steps/],
    [Template().fromImage('registry.example.com/team/app__missing__:1', undefined, { inheritConfig: false }).runCmd('x'), 'image-not-found', /tag is published/],
    [Template().fromImage('registry.example.com/private__denied__:1', undefined, { inheritConfig: false }).runCmd('x'), 'registry-access-denied', /credentials/],
  ]
  for (const [t, reason, hint] of cases) {
    const e = await Template.build(t, `life-hint-${reason}`, conn).then(() => null, (e) => e)
    assert.ok(e instanceof BuildError, `${reason}: ${e?.name}: ${e?.message}`)
    assert.equal(e.reason, reason, e.message)
    assert.match(e.hint, hint)
    assert.ok(Array.isArray(e.logTail) && e.logTail.length > 0, `${reason}: logTail`)
    assert.ok(e.logTail.includes(e.message), `${reason}: the server's message is in the tail`)
  }
  // A plain failure has no invented reason.
  const plain = await Template.build(app('make __fail__'), 'life-hint-none', conn).then(() => null, (e) => e)
  assert.equal(plain.reason, undefined)
})

test('hints: the service\'s concurrency limit is a RateLimitError with reason rate-limited', async () => {
  // The emulator's refusal under --max-concurrent-builds, every time (Retry-After 0: no wait).
  const limit = createServer((req, res) => {
    const body = JSON.stringify({ code: 429, message: 'too many concurrent template builds: 1 running, the limit is 1; retry after 0 s' })
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  })
  await new Promise((r) => limit.listen(0, '127.0.0.1', r))
  try {
    const c = { apiUrl: `http://127.0.0.1:${limit.address().port}`, apiKey: 'k' }
    const e = await Template.build(app('echo b'), 'life-limit', c).then(() => null, (e) => e)
    assert.ok(e instanceof RateLimitError, `${e?.name}: ${e?.message}`)
    assert.equal(e.reason, 'rate-limited')
    assert.match(e.hint, /fewer builds at once/)
  } finally {
    await new Promise((r) => limit.close(r))
  }
})
