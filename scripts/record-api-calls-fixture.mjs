// Re-records tests/fixtures/09-template-api-calls.json: drives the official
// `novita-sandbox` devDependency through every non-build template API call
// against a recording fake server on 127.0.0.1 and writes what it sent, what
// the server answered and what the SDK returned (tests/fixtures/README.md).
//
//   node scripts/record-api-calls-fixture.mjs [--out <dir>] [--check]
//
// --out   where to write the fixture (default: a fresh temporary directory)
// --check compare the result byte for byte with tests/fixtures/ and exit 1 on a difference
//
// Byte equality needs Node 20.20.2 on Linux: the runtime's version and OS are in
// the recorded headers and in the `sdk` field.
import http from 'node:http'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const fixturesDir = join(repoRoot, 'tests/fixtures')
const FILE = '09-template-api-calls.json'
const API_KEY = 'nvk_test_0123456789'

const args = process.argv.slice(2)
const outAt = args.indexOf('--out')
const outDir = outAt >= 0 ? resolve(args[outAt + 1]) : mkdtempSync(join(tmpdir(), 'fixture-09-'))
const check = args.includes('--check')

// The SDK must see no settings from the environment.
for (const name of ['NOVITA_API_KEY', 'NOVITA_DOMAIN', 'NOVITA_API_URL']) process.env[name] = ''
delete process.env.NOVITA_DEBUG
delete process.env.NOVITA_ACCESS_TOKEN

// Nothing may leave the machine: any host but 127.0.0.1 fails like a dead network.
const realFetch = globalThis.fetch
globalThis.fetch = (input, init) => {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  if (new URL(href).hostname !== '127.0.0.1') return Promise.reject(new TypeError('fetch failed'))
  return realFetch(input, init)
}
const sdk = await import('novita-sandbox')
const { Template, TemplateApi } = sdk

// ---- the fake template API: synthetic replies, every request recorded ----

const SEEN_BUILD = '00000000-0000-4000-8000-0000000000aa'
const STAMP_1 = '2026-01-01T00:00:00Z'
const STAMP_2 = '2026-01-02T00:00:00Z'
// Status polls walk this script, one step per poll since the recording began.
const STATUS_STEPS = [
  {
    status: 'building',
    logEntries: [
      { timestamp: '2026-01-01T00:00:01.000Z', level: 'info', message: 'Building template tpl' },
      { timestamp: '2026-01-01T00:00:02.000Z', level: 'debug', message: '\u001b[32m[base]\u001b[0m pulling image' },
    ],
  },
  { status: 'waiting', logEntries: [] },
  { status: 'ready', logEntries: [{ timestamp: '2026-01-01T00:00:03.000Z', level: 'info', message: 'Build finished' }] },
]

const recorded = []
let statusPolls = 0
let buildsRequested = 0

/** The reply to one request: `{ status, body? }`; no body means `Content-Length: 0`. */
function route(method, url, json) {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
  const q = url.searchParams
  if (method === 'POST' && url.pathname === '/v3/templates') {
    const n = ++buildsRequested
    const [name, tag] = String(json.name).split(':')
    return {
      status: 202,
      body: {
        templateID: `tpl${n}abcdefghijklmno`,
        buildID: `00000000-0000-4000-8000-00000000000${n}`,
        names: [name],
        aliases: [name],
        tags: json.tags ?? [tag ?? 'default'],
        public: false,
      },
    }
  }
  if (method === 'POST' && parts[0] === 'v2' && parts[3] === 'builds') return { status: 202 }
  if (method === 'GET' && parts[0] === 'templates' && parts[2] === 'builds' && parts[4] === 'status') {
    const step = STATUS_STEPS[Math.min(++statusPolls, STATUS_STEPS.length) - 1]
    return {
      status: 200,
      body: { templateID: parts[1], buildID: parts[3], status: step.status, logEntries: step.logEntries, logs: step.logEntries.map((e) => e.message) },
    }
  }
  if (method === 'GET' && parts[0] === 'templates' && parts[1] === 'aliases') {
    const alias = parts[2]
    if (alias.startsWith('missing')) return { status: 404, body: { code: 404, message: `template '${alias}' not found` } }
    if (alias.startsWith('foreign')) return { status: 403, body: { code: 403, message: 'forbidden' } }
    return { status: 200, body: { templateID: 'tplexists0000000000', public: false } }
  }
  if (url.pathname === '/templates/tags') {
    if (method === 'POST') return { status: 201, body: { buildID: SEEN_BUILD, tags: json.tags } }
    if (method === 'DELETE') return { status: 204 }
  }
  if (method === 'GET' && parts[0] === 'templates' && parts[2] === 'tags') {
    return {
      status: 200,
      body: [
        { tag: 'v1.0.0', buildID: SEEN_BUILD, createdAt: STAMP_1 },
        { tag: 'latest', buildID: SEEN_BUILD, createdAt: STAMP_2 },
      ],
    }
  }
  if (parts[0] === 'templates' && parts.length === 2 && method === 'GET') {
    return {
      status: 200,
      body: {
        templateID: parts[1],
        aliases: ['my-python-template'],
        names: ['my-python-template'],
        public: false,
        spawnCount: 3,
        createdAt: STAMP_1,
        updatedAt: STAMP_2,
        lastSpawnedAt: null,
        builds: [{ buildID: SEEN_BUILD, status: 'ready', cpuCount: 2, memoryMB: 1024, createdAt: STAMP_1, updatedAt: '2026-01-01T00:01:00Z' }],
      },
    }
  }
  if (parts[0] === 'templates' && parts.length === 2 && method === 'DELETE') {
    return parts[1].startsWith('missing') ? { status: 404, body: { code: 404, message: 'not found' } } : { status: 204 }
  }
  if (method === 'GET' && url.pathname === '/v2/templates') {
    const template = {
      templateID: 'tplexists0000000000',
      buildID: SEEN_BUILD,
      buildStatus: 'ready',
      aliases: ['my-python-template'],
      names: ['my-python-template'],
      templateType: q.get('template_type'),
      buildCount: 1,
      cpuCount: 2,
      memoryMB: 1024,
      diskSizeMB: 5120,
      spawnCount: 0,
      envdVersion: '0.2.0',
      public: false,
      createdAt: STAMP_1,
      updatedAt: STAMP_1,
      lastSpawnedAt: null,
      createdBy: null,
    }
    return { status: 200, body: { templates: [template], total: 1, page: Number(q.get('page')), limit: Number(q.get('limit')), totalPages: 1 } }
  }
  return { status: 404, body: { code: 404, message: `no fake route for ${method} ${url.pathname}` } }
}

const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const raw = Buffer.concat(chunks)
    const url = new URL(req.url, 'http://127.0.0.1')
    const entry = { method: req.method, path: url.pathname, query: url.search, headers: req.headers }
    let json = {}
    if (raw.length > 0) {
      entry.bodyText = raw.toString('utf8')
      try {
        entry.body = json = JSON.parse(entry.bodyText)
      } catch {}
    }
    recorded.push(entry)
    const reply = route(req.method, url, json)
    entry.reply = reply
    if (reply.body === undefined) {
      res.writeHead(reply.status, { 'Content-Length': '0' })
      res.end()
    } else {
      const text = JSON.stringify(reply.body)
      res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) })
      res.end(text)
    }
  })
})
await new Promise((ok) => server.listen(0, '127.0.0.1', ok))
const origin = `http://127.0.0.1:${server.address().port}`

// ---- the calls, in the fixture's order ----

const conn = { apiKey: API_KEY, apiUrl: origin }
const copyContext = join(fixturesDir, 'inputs/copy-context')
const calls = {}
async function call(label, fn) {
  const from = recorded.length
  let result
  let error = null
  try {
    result = await fn()
  } catch (e) {
    error = { name: e.name, constructor: e.constructor?.name, message: e.message, stackFirstLine: String(e.stack).split('\n')[0] }
  }
  calls[label] = { result: result === undefined ? '(undefined)' : result, error, requests: recorded.slice(from) }
}

await call("Template.exists('my-python-template')", () => Template.exists('my-python-template', conn))
await call("Template.exists('missing-template')  (server 404)", () => Template.exists('missing-template', conn))
await call("Template.aliasExists('foreign-template')  (server 403)", () => Template.aliasExists('foreign-template', conn))
await call("Template.exists('name:with tag/slash')", () => Template.exists('name:with tag/slash', conn))
await call("Template.assignTags('agent-runtime-base:v1.0.0', 'production')", () => Template.assignTags('agent-runtime-base:v1.0.0', 'production', conn))
await call("Template.assignTags('agent-runtime-base:v1.0.0', ['production', 'stable'])", () =>
  Template.assignTags('agent-runtime-base:v1.0.0', ['production', 'stable'], conn),
)
await call("Template.removeTags('agent-runtime-base', ['production', 'staging'])", () => Template.removeTags('agent-runtime-base', ['production', 'staging'], conn))
await call("Template.getTags('tplexists0000000000')", () => Template.getTags('tplexists0000000000', conn))
await call("Template.get('tplexists0000000000')", () => Template.get('tplexists0000000000', conn))
await call('Template.list({ limit: 5 }).nextPage()', () => Template.list({ ...conn, limit: 5 }).nextPage())
await call('Template.list().nextPage()  (defaults)', () => Template.list({ ...conn }).nextPage())
await call("Template.list({ templateType: 'snapshot_template', page: 2 }).nextPage()", () =>
  Template.list({ ...conn, templateType: 'snapshot_template', page: 2 }).nextPage(),
)
await call("TemplateApi.deleteTemplate('tplexists0000000000')", () => TemplateApi.deleteTemplate('tplexists0000000000', conn))
await call("TemplateApi.deleteTemplate('missing0000')  (server 404)", () => TemplateApi.deleteTemplate('missing0000', conn))
await call("Template.getBuildStatus({ templateId: 'tplX', buildId: 'bldX' })", () => Template.getBuildStatus({ templateId: 'tplX', buildId: 'bldX' }, conn))
await call("Template.getBuildStatus({ templateId: 'tplX', buildId: 'bldX' }, { logsOffset: 7 })", () =>
  Template.getBuildStatus({ templateId: 'tplX', buildId: 'bldX' }, { ...conn, logsOffset: 7 }),
)
await call(
  "Template.buildInBackground(Template().fromTemplate('base').runCmd('echo hi'), 'bg-build:v2', { tags: ['x'], cpuCount: 4, memoryMB: 4096 })",
  () =>
    Template.buildInBackground(Template({ fileContextPath: copyContext }).fromTemplate('base').runCmd('echo hi'), 'bg-build:v2', {
      ...conn,
      tags: ['x'],
      cpuCount: 4,
      memoryMB: 4096,
    }),
)
await call("Template.build(t, { alias: 'legacy-alias' })  (deprecated overload)", () =>
  Template.build(Template({ fileContextPath: copyContext }).fromTemplate('base'), { ...conn, alias: 'legacy-alias' }),
)
server.close()

// ---- write, with the run-specific port and paths made neutral ----

const fixture = {
  id: '09-template-api-calls',
  sdk: `novita-sandbox@2.1.1 (npm), run on Node ${process.version}`,
  description: 'Requests and SDK results for the non-build template API calls (fake server replies are synthetic).',
  calls,
}
const neutral = JSON.stringify(fixture).split(origin.slice('http://'.length)).join('127.0.0.1:PORT').split(fixturesDir).join('<fixtures>')
const text = JSON.stringify(JSON.parse(neutral), null, 2) + '\n'
const out = join(outDir, FILE)
writeFileSync(out, text)
console.log(`wrote ${out} (${Buffer.byteLength(text)} bytes)`)

if (check) {
  const recordedBefore = readFileSync(join(fixturesDir, FILE), 'utf8')
  if (recordedBefore === text) {
    console.log(`identical to tests/fixtures/${FILE}, byte for byte`)
  } else {
    const a = recordedBefore.split('\n')
    const b = text.split('\n')
    const line = a.findIndex((l, i) => l !== b[i])
    console.error(`differs from tests/fixtures/${FILE} at line ${line + 1}:\n  recorded: ${a[line]}\n  now:      ${b[line]}`)
    process.exit(1)
  }
}
