// Secrets: the API key, the access token, registry credentials and a password in
// the API URL never appear in log entries, error messages, stacks, the default
// logger's output or anything else the process prints, in successful, failing,
// unauthorised, faulty and badly addressed builds (run in a child process whose
// whole output is searched). Plain http:// to a non-loopback host is refused
// unless allowInsecureHttp, and the key is not handed to another origin.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { loadPkg, loadOfficial, pkgEntry, here, spawnEmulator, misbehavingServer, errorClass, withDeadline, recordArtifact } from './support.mjs'

const pkg = loadPkg()
const { Template, InvalidArgumentError } = pkg
const SECRETS = {
  apiKey: 'nvk_RELKEY_4f9c2a7d',
  accessToken: 'RELTOKEN_8b31e6f0',
  registryPassword: 'RELREGPW_5d2e91ac',
  awsSecret: 'RELAWSSECRET_0c7f3b',
  gcpKey: '-----BEGIN PRIVATE KEY-----RELGCPKEY_6a1d-----END PRIVATE KEY-----',
  ociKey: 'RELOCIKEY_93be0f',
  urlPassword: 'RELURLPW_27ac55',
  wrongKey: 'nvk_RELWRONGKEY_e1a0',
  wrongToken: 'RELWRONGTOKEN_77d2',
}
// What to look for: each secret, its distinctive core, and base64 forms.
const needles = []
for (const [name, value] of Object.entries(SECRETS)) {
  const core = /REL[A-Z]+_[0-9a-f]+/.exec(value)[0]
  needles.push([name, core])
  needles.push([`${name} (base64)`, Buffer.from(value).toString('base64').slice(0, 16)])
}
needles.push(['registry basic auth (base64)', Buffer.from(`reluser:${SECRETS.registryPassword}`).toString('base64').slice(0, 16)])

let emu, faulty, badPort, output, sections

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)) })
  })
}

before(async () => {
  const keys = ['--api-key', SECRETS.apiKey, '--api-key', SECRETS.accessToken]
  emu = await spawnEmulator(['--step-ms', '20', ...keys])
  faulty = await spawnEmulator(['--step-ms', '20', ...keys, '--seed', '3', '--fault-error-rate', '0.2', '--fault-429-rate', '0.1', '--fault-drop-rate', '0.15'])
  badPort = await freePort()
  const child = spawn(process.execPath, [join(here, 'secrets-child.mjs')], {
    env: { ...process.env, REL_SECRETS: JSON.stringify({ pkgEntry, url: emu.url, badPort, faultyUrl: faulty.url, secrets: SECRETS }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { out += d })
  const code = await new Promise((resolve) => {
    const t = setTimeout(() => { child.kill('SIGKILL'); resolve('killed after 150 s') }, 150_000)
    child.on('exit', (c) => { clearTimeout(t); resolve(c) })
  })
  output = out
  sections = {}
  let current = '(before any scenario)'
  for (const line of out.split('\n')) {
    const m = /^@@scenario (.*)$/.exec(line)
    if (m) current = m[1]
    else (sections[current] ||= []).push(line)
  }
  assert.equal(code, 0, `child exited with ${code}:\n${out.slice(-3000)}`)
})

const report = { redirect: {} }
after(async () => {
  await emu?.stop()
  await faulty?.stop()
  recordArtifact('secrets', { scenariosClean: leakCount.clean, scenarios: leakCount.checked, leaks: report.leaks, httpRefused: report.httpRefused, redirectCarriesKey: report.redirect })
})

const SCENARIOS = [
  'build with key, token, registry password (debug, default logger)',
  'failing build with AWS credentials',
  'failing pull with GCP and OCI credentials',
  'auth failure (a wrong but distinctive key and token)',
  'auth failure on every other call',
  'remote plain-http URL with credentials in it',
  'loopback URL with credentials in it',
  'malformed URL carrying the key',
  'connection refused',
  'builds under faults (retries logged at debug)',
  'timeouts',
  'template display: toDockerfile, toJSON redacted, inspect',
  'status and info objects',
]
// Known leaks, by scenario (none left: both earlier ones are fixed).
const KNOWN = {}
const leakCount = { checked: 0, clean: 0 }

test('the child ran every scenario and printed what a user sees', () => {
  assert.ok(output.includes('@@done'), output.slice(-2000))
  for (const s of SCENARIOS) assert.ok(sections[s]?.length > 0, `scenario ${s} printed nothing`)
  // The searches below are meaningful: the output does contain entries, errors and stacks.
  const all = output
  assert.match(all, /entry: \[.*\] \[info\] Requesting build for template: sec-ok/)
  assert.match(all, /error\.message: Unauthorized, please check your credentials/)
  assert.match(all, /error\.stack: /)
  assert.match(all, /Retrying (GET|POST) /, 'debug retry entries were printed')
  assert.match(all, /RUN step 1 failed/)
})

for (const s of SCENARIOS) {
  test(`no secret in: ${s}`, { todo: KNOWN[s] }, () => {
    leakCount.checked++
    const text = (sections[s] || []).join('\n')
    const found = needles.filter(([, n]) => text.includes(n))
    const lines = found.map(([name, n]) => `${name}: ${text.split('\n').find((l) => l.includes(n)).slice(0, 300)}`)
    if (lines.length) (report.leaks ||= {})[s] = lines
    assert.deepEqual(lines, [], `secrets printed:\n${lines.join('\n')}`)
    leakCount.clean++
  })
}

test('secrets: summary line', () => {
  console.log(`secrets: ${leakCount.clean}/${leakCount.checked} scenarios print no secret (${needles.length} needles searched in ${output.length} characters of output)`)
})

// ---- plain http to non-loopback hosts ----
const REFUSED = [
  'http://example.com', 'HTTP://EXAMPLE.COM', 'http://10.0.0.1:3000', 'http://192.168.1.10', 'http://0.0.0.0:3000',
  'http://localhost.example.com', 'http://127.0.0.1.nip.io', 'http://127.0.0.1@example.com', 'http://127.0.0.1:80@example.com',
  'http://example.com?@127.0.0.1', 'http://example.com#@127.0.0.1', 'http://[2001:db8::1]:3000', 'http://2130706433',
]
const BACKSLASH = 'http://example.com\\@127.0.0.1'

test('non-loopback http:// API URLs are refused with InvalidArgumentError', async () => {
  for (const apiUrl of REFUSED) {
    await assert.rejects(Template.exists('x', { apiUrl, apiKey: SECRETS.apiKey }), (e) => {
      assert.equal(errorClass(e), 'InvalidArgumentError', `${apiUrl}: ${e.name}: ${e.message}`)
      assert.ok(e instanceof InvalidArgumentError)
      assert.match(e.message, /plain http to a non-loopback host|apiUrl/, apiUrl)
      assert.ok(!e.message.includes(SECRETS.apiKey))
      return true
    }, apiUrl)
  }
  report.httpRefused = `${REFUSED.length}/${REFUSED.length}`
  console.log(`secrets: ${REFUSED.length}/${REFUSED.length} non-loopback http:// URLs refused`)
})

test(`a backslash URL (${BACKSLASH}) whose real host is not loopback is refused`, async () => {
  await assert.rejects(Template.exists('x', { apiUrl: BACKSLASH, apiKey: SECRETS.apiKey, requestTimeoutMs: 500 }), (e) => {
    assert.equal(errorClass(e), 'InvalidArgumentError', `${e.name}: ${e.message}`)
    return true
  })
})

test('loopback http:// and allowInsecureHttp are accepted', async () => {
  const port = new URL(emu.url).port
  for (const apiUrl of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://LOCALHOST:${port}/`]) {
    assert.equal(await Template.exists('nothing-here', { apiUrl, apiKey: SECRETS.apiKey }), false, apiUrl)
  }
  // Allowed through validation: a POST (not retried) to a host that does not resolve.
  const r = await withDeadline(Template.build(Template().fromTemplate('base'), 'x', { apiUrl: 'http://relsecrets.invalid', apiKey: SECRETS.apiKey, allowInsecureHttp: true, requestTimeoutMs: 3000 }), 20_000)
  assert.equal(r.outcome, 'failed')
  assert.notEqual(errorClass(r.error), 'InvalidArgumentError', r.error.message)
  assert.match(r.error.message, /Network error|timed out/)
  assert.ok(!r.error.message.includes(SECRETS.apiKey))
})

// ---- redirects: does the key follow a redirect to another origin? ----
async function redirectCase(lib, sdkName) {
  const target = await misbehavingServer((req, res) => { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"code":404,"message":"nope"}') })
  const origin = await misbehavingServer((req, res) => { res.writeHead(307, { location: `${target.url}${req.url}` }); res.end() })
  try {
    await withDeadline(lib.Template.exists('x', { apiUrl: origin.url, apiKey: SECRETS.apiKey, accessToken: SECRETS.accessToken }), 20_000)
    const leaked = target.hits.filter((h) => JSON.stringify(h.headers).includes(SECRETS.apiKey) || JSON.stringify(h.headers).includes(SECRETS.accessToken))
    return { sdk: sdkName, originHits: origin.hits.length, targetHits: target.hits.length, targetGotKey: leaked.length > 0, headers: Object.keys(target.hits[0]?.headers || {}) }
  } finally {
    await origin.close()
    await target.close()
  }
}

test('a redirect to another origin does not carry the API key (ours)', async () => {
  const r = await redirectCase(pkg, 'ours')
  report.redirect.ours = r.targetGotKey
  console.log(`secrets: redirect to another origin — ours: ${r.targetHits} request(s) reached it, key carried: ${r.targetGotKey}`)
  assert.equal(r.targetGotKey, false, JSON.stringify(r))
})

test('official SDK under the same redirect (recorded only)', async () => {
  const r = await redirectCase(loadOfficial(), 'official')
  report.redirect.official = r.targetGotKey
  console.log(`secrets: redirect to another origin — official: ${r.targetHits} request(s) reached it, key carried: ${r.targetGotKey}`)
})
