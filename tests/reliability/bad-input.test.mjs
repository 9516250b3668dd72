// Bad-input table: malformed inputs across the public API (builder arguments, build
// options, Dockerfiles, names, tags, ids, file sources, connection options) and
// replies from a misbehaving HTTP server. Each must be refused with a typed error
// whose message names the problem, and the module must stay usable: after each case
// a good call (an emulator request and a builder chain) still works.
//
// Where the official SDK throws a plain `Error` (docs/wire-contract.md §7: Dockerfile, list
// parameters, `templateId cannot be empty`, toDockerfile) our package keeps it, and
// the table expects `Error`. Known defects are marked `todo: 'bug: …'`.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadPkg, spawnEmulator, misbehavingServer, withDeadline, errorClass, recordArtifact } from './support.mjs'

const pkg = loadPkg()
const { Template } = pkg
const KEY = 'rel-bad-input-key'

let emu
let conn
let bad // the misbehaving server
let mode = 'ok' // what the misbehaving server does next
let ctx // a file context for copy()
const results = { refused: 0, total: 0, wrong: [] }

// ---- the misbehaving server: answers like the API until `mode` says otherwise ----
const CREATED = { templateID: 'tpl1', buildID: 'bld1', tags: ['default'], names: ['n'], aliases: ['n'], public: false }
function misbehave(req, res) {
  const json = (status, value, headers = {}) => {
    const body = typeof value === 'string' ? value : JSON.stringify(value)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers })
    res.end(body)
  }
  const url = req.url
  const isRequest = req.method === 'POST' && url === '/v3/templates'
  const isTrigger = req.method === 'POST' && url.startsWith('/v2/templates/')
  const isStatus = req.method === 'GET' && /\/builds\/[^/]+\/status/.test(url)
  switch (mode) {
    case 'request-invalid-json': if (isRequest) return json(202, '{"templateID": "tpl1", "buildID": ')
      break
    case 'request-missing-ids': if (isRequest) return json(202, { tags: [] })
      break
    case 'request-huge': if (isRequest) return json(202, `{"pad":"${'x'.repeat(34 * 1024 * 1024)}"}`)
      break
    case 'request-html-400': if (isRequest) {
      res.writeHead(400, { 'content-type': 'text/html' })
      return res.end('<html><body><h1>Bad Request</h1>proxy says no</body></html>')
    }
      break
    case 'request-json-no-message': if (isRequest) return json(500, { error: 'boom' })
      break
    case 'request-huge-error': if (isRequest) {
      res.writeHead(400, { 'content-type': 'text/plain' })
      return res.end('E'.repeat(2 * 1024 * 1024))
    }
      break
    case 'request-401-empty': if (isRequest) {
      res.writeHead(401, { 'content-length': '0' })
      return res.end()
    }
      break
    case 'request-never-answers': if (isRequest) return // keeps the socket open, says nothing
      break
    case 'request-stalls-body': if (isRequest) {
      res.writeHead(202, { 'content-type': 'application/json', 'content-length': '200' })
      return res.write('{"templateID": "tpl1", ') // and never the rest
    }
      break
    case 'trigger-bodiless-500': if (isTrigger) {
      res.writeHead(500, { 'content-length': '0' })
      return res.end()
    }
      // The trigger never took effect: the build stays waiting, so the client
      // triggers again until its attempts run out.
      if (isStatus) return json(200, { templateID: 'tpl1', buildID: 'bld1', status: 'waiting', logEntries: [], logs: [] })
      break
    case 'status-invalid-json': if (isStatus) return json(200, '{"status": "ready", "logEntries": [')
      break
    case 'status-missing-logEntries': if (isStatus) return json(200, { templateID: 'tpl1', buildID: 'bld1', status: 'ready', logs: [] })
      break
    case 'status-logEntries-not-array': if (isStatus) return json(200, { templateID: 'tpl1', buildID: 'bld1', status: 'building', logEntries: 5, logs: [] })
      break
    case 'status-empty-200': if (isStatus) {
      res.writeHead(200, { 'content-length': '0' })
      return res.end()
    }
      break
    case 'status-not-object': if (isStatus) return json(200, '[1,2,3]')
      break
    case 'status-garbage-entries': if (isStatus) return json(200, { templateID: 'tpl1', buildID: 'bld1', status: 'ready', logEntries: [null, 5, { message: 42 }], logs: [] })
      break
    case 'status-error-no-reason': if (isStatus) return json(200, { templateID: 'tpl1', buildID: 'bld1', status: 'error', logEntries: [], logs: [] })
      break
    case 'status-always-503': if (isStatus) return json(503, { code: 503, message: 'busy forever' })
      break
    case 'tags-not-array': if (req.method === 'GET' && url.endsWith('/tags')) return json(200, { not: 'an array' })
      break
    case 'get-null': if (req.method === 'GET' && url.startsWith('/templates/tpl1')) return json(200, 'null')
      break
    case 'list-garbage': if (req.method === 'GET' && url.startsWith('/v2/templates')) return json(200, { templates: 5 })
      break
    case 'sandbox-no-envd': if (req.method === 'POST' && url === '/sandboxes') return json(201, { sandboxID: 's1', clientID: 'c', templateID: 'tpl1' })
      break
    case 'alias-html-500': if (req.method === 'GET' && url.startsWith('/templates/aliases/')) {
      res.writeHead(418, { 'content-type': 'text/html' })
      return res.end('<html>teapot</html>')
    }
      break
  }
  // Default: a well-behaved tiny API.
  if (isRequest) return json(202, CREATED)
  if (isTrigger) { res.writeHead(202, { 'content-length': '0' }); return res.end() }
  if (isStatus) return json(200, { templateID: 'tpl1', buildID: 'bld1', status: 'ready', logEntries: [], logs: [] })
  return json(404, { code: 404, message: 'not found' })
}

before(async () => {
  emu = await spawnEmulator(['--step-ms', '20', '--api-key', KEY, '--log-requests'])
  conn = { apiUrl: emu.url, apiKey: KEY }
  bad = await misbehavingServer(misbehave)
  ctx = mkdtempSync(join(tmpdir(), 'rel-bad-ctx-'))
  await Template.build(Template().fromTemplate('base').runCmd('echo tags'), 'rel-bad-tags:v1', conn)
  writeFileSync(join(ctx, 'app.py'), 'print(1)\n')
})

after(async () => {
  const ok = results.refused
  recordArtifact('badInputs', { refused: ok, total: results.total, notYet: results.wrong })
  console.log(`bad inputs: ${ok}/${results.total} refused correctly` + (results.wrong.length ? ` (not yet: ${results.wrong.join('; ')})` : ''))
  await bad?.close()
  await emu?.stop()
  if (ctx) rmSync(ctx, { recursive: true, force: true })
})

const base = () => Template().fromTemplate('base')
const withCtx = () => Template({ fileContextPath: ctx }).fromTemplate('base')
const badConn = (extra = {}) => ({ apiUrl: bad.url, apiKey: 'k', requestTimeoutMs: 2000, ...extra })
const build = (t, name, opts) => Template.build(t, name, { ...conn, ...opts })

// [name, call, expected class, message pattern, extra]
// extra: { server: mode for the misbehaving server, noRequest: the emulator must see no request, todo }
const CASES = [
  // ---- builder arguments ----
  ['fromImage() without an image', () => Template().fromImage(), 'InvalidArgumentError', /image/],
  ['fromImage(123)', () => Template().fromImage(123), 'InvalidArgumentError', /image.*number/],
  ["fromImage('')", () => Template().fromImage(''), 'InvalidArgumentError', /image must be a non-empty/],
  ["fromTemplate('')", () => Template().fromTemplate(''), 'InvalidArgumentError', /template must be a non-empty/],
  ['runCmd(null)', () => base().runCmd(null), 'InvalidArgumentError', /runCmd: `command`/],
  ['runCmd([])', () => base().runCmd([]), 'InvalidArgumentError', /runCmd: command/],
  ['runCmd([1, 2])', () => base().runCmd([1, 2]), 'InvalidArgumentError', /runCmd/],
  ['setEnvs({A: 1})', () => base().setEnvs({ A: 1 }), 'InvalidArgumentError', /`A` must be a string/],
  ['setEnvs(null)', () => base().setEnvs(null), 'InvalidArgumentError', /envs/],
  ["setStartCmd('x', 42)", () => base().setStartCmd('x', 42), 'InvalidArgumentError', /readyCmd/],
  ['makeDir(undefined)', () => base().makeDir(undefined), 'InvalidArgumentError', /makeDir: `path`/],
  ['gitClone(42)', () => base().gitClone(42), 'InvalidArgumentError', /gitClone: `url`/],
  ['gitClone depth -1', () => base().gitClone('https://example.com/r.git', undefined, { depth: -1 }), 'InvalidArgumentError', /depth/],
  ['pipInstall(42)', () => base().pipInstall(42), 'InvalidArgumentError', /pipInstall: `packages`/],
  ["aptInstall([''])", () => base().aptInstall(['']), 'InvalidArgumentError', /aptInstall: packages/],
  ['setUser(null)', () => base().setUser(null), 'InvalidArgumentError', /setUser: `user`/],
  ["setWorkdir('')", () => base().setWorkdir(''), 'InvalidArgumentError', /setWorkdir: workdir/],
  ['waitForPort(-1)', () => pkg.waitForPort(-1), 'InvalidArgumentError', /port must be an integer between 1 and 65535/],
  ['waitForPort(70000)', () => pkg.waitForPort(70000), 'InvalidArgumentError', /port/],
  ["waitForPort('x')", () => pkg.waitForPort('x'), 'InvalidArgumentError', /`port` must be a finite number/],
  ['waitForTimeout(-1)', () => pkg.waitForTimeout(-1), 'InvalidArgumentError', /timeout/],
  ["waitForFile('')", () => pkg.waitForFile(''), 'InvalidArgumentError', /filename/],
  ["waitForURL(url, 'abc')", () => pkg.waitForURL('http://localhost/', 'abc'), 'InvalidArgumentError', /statusCode/],
  ['addMcpServer on a non-mcp template', () => base().addMcpServer('x'), 'BuildError', /mcp-gateway/],
  ['toDockerfile of a fromTemplate template', () => Template.toDockerfile(base()), 'Error', /another template/],
  ['fromAWSRegistry without credentials', () => Template().fromAWSRegistry('123.dkr.ecr.us-east-1.amazonaws.com/x:1', {}), 'InvalidArgumentError', /accessKeyId/],
  ['fromAWSRegistry(image, null)', () => Template().fromAWSRegistry('x:1', null), 'InvalidArgumentError', /accessKeyId/],
  ['fromGCPRegistry with a missing key file', () => Template({ fileContextPath: ctx }).fromGCPRegistry('gcr.io/p/x:1', { serviceAccountJSON: 'missing.json' }), 'TemplateError', /missing\.json/],
  ['Template({ fileIgnorePatterns: "x" })', () => Template({ fileIgnorePatterns: 'x' }), 'InvalidArgumentError', /fileIgnorePatterns/],
  // ---- file sources (copy) ----
  ["copy('../etc/passwd')", () => withCtx().copy('../etc/passwd', '/app'), 'TemplateError', /escapes the context directory/],
  ["copy('/etc/passwd')", () => withCtx().copy('/etc/passwd', '/app'), 'TemplateError', /absolute paths are not allowed/],
  ["copy('') (refused at once; the official finds no files at build)", () => withCtx().copy('', '/app'), 'InvalidArgumentError', /src must be a non-empty string/, { noRequest: true }],
  ['copy([])', () => withCtx().copy([], '/app'), 'InvalidArgumentError', /src must contain at least one path/],
  ["copy(src, '')", () => withCtx().copy('app.py', ''), 'InvalidArgumentError', /dest must be a non-empty/],
  ['copy mode -1', () => withCtx().copy('app.py', '/app', { mode: -1 }), 'InvalidArgumentError', /mode/],
  ["copy mode 'rwx'", () => withCtx().copy('app.py', '/app', { mode: 'rwx' }), 'InvalidArgumentError', /mode/],
  ["copyItems('nope')", () => withCtx().copyItems('nope'), 'InvalidArgumentError', /items/],
  ['build of a copy() whose source does not exist', () => build(withCtx().copy('no-such-file.txt', '/app/x'), 'rel-bad-copy'), 'Error', /^No files found in .*no-such-file\.txt$/],
  // ---- Dockerfiles ----
  ["fromDockerfile('')", () => Template().fromDockerfile(''), 'Error', /must contain a FROM instruction/],
  ['fromDockerfile without FROM', () => Template().fromDockerfile('RUN echo hi\n'), 'Error', /must contain a FROM instruction/],
  ['fromDockerfile garbage', () => Template().fromDockerfile('HELLO world\n\u0000\u0001'), 'Error', /FROM/],
  ['fromDockerfile multi-stage', () => Template().fromDockerfile('FROM a AS x\nRUN y\nFROM b\nCOPY --from=x /a /b\n'), 'Error', /Multi-stage/],
  ['fromDockerfile(42)', () => Template().fromDockerfile(42), 'InvalidArgumentError', /dockerfileContentOrPath/],
  // ---- the template argument ----
  ['build(null, …)', () => Template.build(null, 'rel-x', conn), 'InvalidArgumentError', /template/],
  ['build({}, …)', () => Template.build({}, 'rel-x', conn), 'InvalidArgumentError', /template/],
  ['toJSON(null)', () => Template.toJSON(null), 'InvalidArgumentError', /template/],
  // ---- names and tags ----
  ["name ''", () => build(base(), ''), 'TemplateError', /^Name must be provided$/, { noRequest: true }],
  ['name null', () => build(base(), null), 'TemplateError', /^Name must be provided$/, { noRequest: true }],
  ['name 42', () => build(base(), 42), 'InvalidArgumentError', /`name` must be a string/, { noRequest: true }],
  ["name 'a b'", () => build(base(), 'a b'), 'InvalidArgumentError', /name "a b" must not contain whitespace/, { noRequest: true }],
  ["name 'a:b:c'", () => build(base(), 'a:b:c'), 'InvalidArgumentError', /at most one ':'/, { noRequest: true }],
  ['name of 200 characters', () => build(base(), 'a'.repeat(200)), 'InvalidArgumentError', /at most 128 characters/, { noRequest: true }],
  ["name 'a\\nb'", () => build(base(), 'a\nb'), 'InvalidArgumentError', /control characters/, { noRequest: true }],
  ["name 'bad/slash' (server-side rule)", () => build(base(), 'bad/slash'), 'BuildError', /^400: template name 'bad\/slash' is invalid/],
  ["name '-dash' (server-side rule)", () => build(base(), '-dash'), 'BuildError', /^400: template name '-dash' is invalid/],
  ["tags ['']", () => build(base(), 'rel-t', { tags: [''] }), 'InvalidArgumentError', /tags\[0\] must not be empty/, { noRequest: true }],
  ["tags 'x y'", () => build(base(), 'rel-t', { tags: 'x y' }), 'InvalidArgumentError', /tags\[0\] "x y"/, { noRequest: true }],
  ['tags [42]', () => build(base(), 'rel-t', { tags: [42] }), 'InvalidArgumentError', /`tags\[0\]` must be a string/, { noRequest: true }],
  ["tags ['$x'] (server-side rule)", () => build(base(), 'rel-t', { tags: ['$x'] }), 'BuildError', /^400: tag '\$x' is invalid/],
  ["assignTags(name, [''])", () => Template.assignTags('rel-good', [''], conn), 'InvalidArgumentError', /tags/, { noRequest: true }],
  ['removeTags(name, 42)', () => Template.removeTags('rel-good', 42, conn), 'InvalidArgumentError', /tags/, { noRequest: true }],
  ['assignTags on a missing template', () => Template.assignTags('rel-missing:v1', ['x'], conn), 'TemplateError', /^404: template 'rel-missing' not found/],
  ['removeTags of a missing tag', () => Template.removeTags('rel-bad-tags', ['no-such-tag'], conn), 'TemplateError', /^404: template 'rel-bad-tags' has no tag 'no-such-tag'$/],
  // ---- build options ----
  ['cpuCount 0', () => build(base(), 'rel-o', { cpuCount: 0 }), 'InvalidArgumentError', /cpuCount must be a positive integer \(got 0\)/, { noRequest: true }],
  ['cpuCount 1.5', () => build(base(), 'rel-o', { cpuCount: 1.5 }), 'InvalidArgumentError', /cpuCount/, { noRequest: true }],
  ["cpuCount '2'", () => build(base(), 'rel-o', { cpuCount: '2' }), 'InvalidArgumentError', /`cpuCount` must be a finite number/, { noRequest: true }],
  ['memoryMB -1', () => build(base(), 'rel-o', { memoryMB: -1 }), 'InvalidArgumentError', /memoryMB must be a positive integer/, { noRequest: true }],
  ['cpuCount 99 (platform limit)', () => build(base(), 'rel-o', { cpuCount: 99 }), 'BuildError', /^400: cpuCount 99 is outside the platform limit/],
  ['memoryMB 3 (platform limit)', () => build(base(), 'rel-o', { memoryMB: 3 }), 'BuildError', /^400: memoryMB 3 is outside/],
  ["onBuildLogs 'x'", () => build(base(), 'rel-o', { onBuildLogs: 'x' }), 'InvalidArgumentError', /`onBuildLogs` must be a function/, { noRequest: true }],
  ['options 42', () => Template.build(base(), 'rel-o', 42), 'InvalidArgumentError', /options must be an object/, { noRequest: true }],
  // ---- ids ----
  ['getBuildStatus({})', () => Template.getBuildStatus({}, conn), 'InvalidArgumentError', /`templateId` and `buildId` are required/],
  ['getBuildStatus logsOffset -1', () => Template.getBuildStatus({ templateId: 'a', buildId: 'b' }, { ...conn, logsOffset: -1 }), 'InvalidArgumentError', /logsOffset/],
  ['getBuildStatus logsOffset 1.5', () => Template.getBuildStatus({ templateId: 'a', buildId: 'b' }, { ...conn, logsOffset: 1.5 }), 'InvalidArgumentError', /logsOffset/],
  ['getBuildStatus of an unknown build', () => Template.getBuildStatus({ templateId: 'x', buildId: 'y' }, conn), 'BuildError', /^404: build 'y' of template 'x' not found/],
  ["get('')", () => Template.get('', conn), 'InvalidArgumentError', /`templateId` must be a non-empty/],
  ["get('../etc') (path traversal)", () => Template.get('../etc', conn), 'BuildError', /^400: .*invalid template id/],
  ["delete('')", () => Template.delete('', conn), 'Error', /^templateId cannot be empty$/],
  ['exists(42)', () => Template.exists(42, conn), 'InvalidArgumentError', /`name` must be a string/],
  ['getTags of a missing template', () => Template.getTags('rel-missing', conn), 'TemplateError', /^404: template 'rel-missing' not found/],
  ['list({ limit: 0 }).nextPage()', () => Template.list({ ...conn, limit: 0 }).nextPage(), 'Error', /limit must be between 1 and 100/, { noRequest: true }],
  ['list({ page: 0 }).nextPage()', () => Template.list({ ...conn, page: 0 }).nextPage(), 'Error', /page must be >= 1/, { noRequest: true }],
  ["list({ templateType: 'bogus' }).nextPage()", () => Template.list({ ...conn, templateType: 'bogus' }).nextPage(), 'Error', /templateType must be either/, { noRequest: true }],
  ['Sandbox.create(42)', () => pkg.Sandbox.create(42, conn), 'InvalidArgumentError', /`template` must be a string/],
  ['Sandbox.create timeoutMs -1', () => pkg.Sandbox.create('base', { ...conn, timeoutMs: -1 }), 'InvalidArgumentError', /timeoutMs/],
  ['Sandbox.create of a missing template', () => pkg.Sandbox.create('rel-missing', conn), 'SandboxError', /^404: template 'rel-missing' not found/],
  // ---- connection options ----
  ["apiUrl 'not a url'", () => Template.exists('x', { ...conn, apiUrl: 'not a url' }), 'InvalidArgumentError', /apiUrl/],
  ["apiUrl 'ftp://x'", () => Template.exists('x', { ...conn, apiUrl: 'ftp://x' }), 'InvalidArgumentError', /apiUrl "ftp:\/\/x" is not an absolute http\(s\) URL/],
  ["apiUrl 'http://:80'", () => Template.exists('x', { ...conn, apiUrl: 'http://:80' }), 'InvalidArgumentError', /has no host/],
  ['apiUrl with port 99999', () => Template.exists('x', { ...conn, apiUrl: 'http://127.0.0.1:99999' }), 'InvalidArgumentError', /invalid port/],
  ['apiUrl plain http to a remote host', () => Template.exists('x', { ...conn, apiUrl: 'http://example.com' }), 'InvalidArgumentError', /plain http to a non-loopback host/],
  ["apiUrl ''", () => Template.exists('x', { ...conn, apiUrl: '' }), 'InvalidArgumentError', /API URL cannot be empty|apiUrl/,
    { deadline: 30000 }],
  ["requestTimeoutMs -5", () => Template.exists('x', { ...conn, requestTimeoutMs: -5 }), 'InvalidArgumentError', /requestTimeoutMs/],
  ["requestTimeoutMs 'abc'", () => Template.exists('x', { ...conn, requestTimeoutMs: 'abc' }), 'InvalidArgumentError', /requestTimeoutMs/],
  ['signal 5', () => Template.exists('x', { ...conn, signal: 5 }), 'InvalidArgumentError', /`signal` must be an AbortSignal/],
  ['signal already aborted', () => Template.exists('x', { ...conn, signal: AbortSignal.abort() }), 'AbortError', /aborted/],
  ['apiKey 42', () => Template.exists('x', { ...conn, apiKey: 42 }), 'InvalidArgumentError', /`apiKey` must be a string/],
  ['wrong apiKey', () => Template.exists('x', { ...conn, apiKey: 'wrong' }), 'AuthenticationError', /^Unauthorized, please check your credentials/],
  ["apiKey with a newline ('k\\nX-Evil: 1')", () => Template.exists('x', { ...conn, apiKey: 'k\nX-Evil: 1' }), 'InvalidArgumentError', /apiKey/,
    { deadline: 20000 }],
  ["apiKey 'ключ' (not a byte string)", () => Template.exists('x', { ...conn, apiKey: 'ключ' }), 'InvalidArgumentError', /apiKey/,
    { deadline: 20000 }],
  ["headers {'bad header': 'x'}", () => Template.exists('x', { ...conn, headers: { 'bad header': 'x' } }), 'InvalidArgumentError', /header/,
    { deadline: 20000 }],
  ["headers {'x-a': 'a\\nb'}", () => Template.exists('x', { ...conn, headers: { 'x-a': 'a\nb' } }), 'InvalidArgumentError', /header/,
    { deadline: 20000 }],
  // ---- replies from a misbehaving server ----
  ['build request: invalid JSON', () => Template.build(base(), 'n', badConn()), 'BuildError', /^202: invalid JSON in response/, { server: 'request-invalid-json' }],
  ['build request: no templateID/buildID', () => Template.build(base(), 'n', badConn()), 'BuildError', /^Invalid response from the server: .*templateID/, { server: 'request-missing-ids' }],
  ['build request: a 34 MiB reply', () => Template.build(base(), 'n', badConn({ requestTimeoutMs: 20000 })), 'BuildError', /exceeds \d+ bytes/, { server: 'request-huge' }],
  ['build request: non-JSON (HTML) 400 body', () => Template.build(base(), 'n', badConn()), 'BuildError', /^400: <html>.*proxy says no/, { server: 'request-html-400' }],
  ['build request: JSON 500 body without message', () => Template.build(base(), 'n', badConn()), 'BuildError', /^500: \{"error":"boom"\}$/, { server: 'request-json-no-message' }],
  ['build request: a 2 MiB error body is cut', () => Template.build(base(), 'n', badConn()), 'BuildError', /^400: E+… \(2097152 bytes in total\)$/, { server: 'request-huge-error', maxMessage: 700 }],
  ['build request: bodiless 401', () => Template.build(base(), 'n', badConn()), 'AuthenticationError', /^Unauthorized, please check your credentials\.$/, { server: 'request-401-empty' }],
  ['build request: the server never answers', () => Template.build(base(), 'n', badConn({ requestTimeoutMs: 300 })), 'TimeoutError', /timed out after 300 ms/, { server: 'request-never-answers' }],
  ['build request: the body stalls half-way', () => Template.build(base(), 'n', badConn({ requestTimeoutMs: 300 })), 'TimeoutError', /timed out after 300 ms/, { server: 'request-stalls-body' }],
  ['trigger: bodiless 500', () => Template.build(base(), 'n', badConn()), 'BuildError', /^500: Internal Server Error$/, { server: 'trigger-bodiless-500' }],
  ['status: invalid JSON', () => Template.build(base(), 'n', badConn()), 'BuildError', /^200: invalid JSON in response/, { server: 'status-invalid-json' }],
  ['status: missing logEntries', () => Template.build(base(), 'n', badConn()), 'BuildError', /^Invalid response from the server: missing logEntries$/, { server: 'status-missing-logEntries' }],
  ['status: logEntries is not an array', () => Template.build(base(), 'n', badConn()), 'BuildError', /^Invalid response from the server: .*logEntries/, { server: 'status-logEntries-not-array' }],
  ['status: empty 200', () => Template.getBuildStatus({ templateId: 'tpl1', buildId: 'bld1' }, badConn()), 'BuildError', /Failed to get build status|Invalid response/, { server: 'status-empty-200' }],
  ['status: an array instead of an object', () => Template.getBuildStatus({ templateId: 'tpl1', buildId: 'bld1' }, badConn()), 'BuildError', /^Invalid response from the server/, { server: 'status-not-object' }],
  ['status: log entries that are not objects', () => Template.build(base(), 'n', badConn()), 'BuildError', /^Invalid response from the server: a log entry is not an object$/, { server: 'status-garbage-entries' }],
  ['status: error without a reason', () => Template.build(base(), 'n', badConn()), 'BuildError', /^Unknown error$/, { server: 'status-error-no-reason' }],
  ['status: 503 on every poll (retries run out)', () => Template.build(base(), 'n', badConn()), 'BuildError', /^503: busy forever$/, { server: 'status-always-503', deadline: 30000 }],
  ['tags: an object instead of a list', () => Template.getTags('tpl1', badConn()), 'TemplateError', /^Invalid response from the server/, { server: 'tags-not-array' }],
  ['get: null', () => Template.get('tpl1', badConn()), 'BuildError', /^Invalid response from the server/, { server: 'get-null' }],
  ['list: templates is a number', () => Template.list(badConn()).nextPage(), 'BuildError', /^Invalid response from the server/, { server: 'list-garbage' }],
  ['Sandbox.create: no envdVersion', () => pkg.Sandbox.create('tpl1', badConn()), 'TemplateError', /^You need to update the template to use the new SDK/, { server: 'sandbox-no-envd' }],
  ['exists: HTML 418', () => Template.exists('n', badConn()), 'TemplateError', /^418: <html>teapot<\/html>$/, { server: 'alias-html-500' }],
]

/** The good calls that must still work after each case. */
async function goodCalls() {
  assert.equal(await Template.exists('rel-good-never-built', conn), false)
  const json = JSON.parse(await Template.toJSON(Template().fromTemplate('base').runCmd('echo ok'), false))
  assert.equal(json.fromTemplate, 'base')
}

test('the good calls work before any bad input', async () => {
  await goodCalls()
})

for (const [name, call, cls, pattern, extra = {}] of CASES) {
  test(`bad input: ${name}`, { todo: extra.todo, timeout: 60_000 }, async () => {
    results.total++
    mode = extra.server || 'ok'
    const before = emu.requests().length
    let r
    try {
      r = await withDeadline(Promise.resolve().then(call), extra.deadline || 25_000)
    } finally {
      mode = 'ok'
    }
    let verdict
    try {
      assert.notEqual(r.outcome, 'hung', `still pending after ${r.ms} ms`)
      assert.equal(r.outcome, 'failed', `accepted: ${JSON.stringify(r.value)?.slice(0, 200)}`)
      const e = r.error
      assert.ok(e instanceof Error, `rejected with a non-Error: ${String(e)}`)
      assert.equal(errorClass(e), cls, `class ${errorClass(e)} (${e.message})`)
      assert.equal(e.name, cls)
      if (cls !== 'Error') assert.ok(e instanceof pkg[cls], `not an instance of the exported ${cls}`)
      assert.match(e.message, pattern)
      if (extra.maxMessage) assert.ok(e.message.length <= extra.maxMessage, `message of ${e.message.length} characters`)
      if (extra.noRequest) assert.equal(emu.requests().length, before, 'refused before any request')
      verdict = true
    } catch (err) {
      results.wrong.push(name)
      throw err
    } finally {
      if (verdict) results.refused++
      await goodCalls() // the module is still usable
    }
  })
}

test('after the whole table a full build still works', { timeout: 60_000 }, async () => {
  const seen = []
  const info = await Template.build(Template().fromTemplate('base').runCmd('echo after-bad-input'), 'rel-after-bad', { ...conn, onBuildLogs: (e) => seen.push(e.message) })
  assert.ok(info.buildId)
  assert.ok(seen.includes('[builder 1/1] RUN echo after-bad-input'), seen.join('\n'))
  assert.ok(CASES.length >= 50, `${CASES.length} cases`)
})
