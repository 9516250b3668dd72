// Emulator hardening, at the HTTP level from Node: the API key on every API
// endpoint (not on static files), body size limits, path traversal, and a kill -9
// mid-build followed by a restart on the same data dir that loses no template,
// tag or upload and marks the interrupted build as failed.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request as httpRequest, Agent } from 'node:http'
import { createGzip } from 'node:zlib'
import { loadPkg, spawnEmulator, respawnOnPort, sleep, recordArtifact } from './support.mjs'

const pkg = loadPkg()
const { Template } = pkg
const KEY = 'rel-hardening-key'
const HASH = 'a'.repeat(64)
let emu, base, www, dataDir
const counts = { checks: 0 }
const tempDirs = []

/** A raw request (no fetch normalisation of the path): `{ status, headers, text, json }`. */
function raw(method, path, { headers = {}, body, port = new URL(base).port, resetOk = false, agent = false } = {}) {
  return new Promise((resolve, reject) => {
    let answered = false
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent, headers: body !== undefined && !headers['transfer-encoding'] ? { 'content-length': Buffer.byteLength(body), ...headers } : headers }, (res) => {
      answered = true
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json
        try { json = JSON.parse(text) } catch { json = undefined }
        resolve({ status: res.statusCode, headers: res.headers, text, json })
      })
    })
    // A server may answer (413) and close before reading a large body: the write then
    // fails with EPIPE/ECONNRESET after the reply, which is what counts.
    req.on('error', (e) => {
      if (answered) return
      if (resetOk && (e.code === 'EPIPE' || e.code === 'ECONNRESET')) resolve({ status: e.code, headers: {}, text: '' })
      else reject(new Error(`${method} ${path}: ${e.code || e.message} before any reply`))
    })
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no reply in 10 s`)))
    if (body !== undefined) req.end(body)
    else req.end()
  })
}
const withKey = (h = {}) => ({ 'x-api-key': KEY, 'content-type': 'application/json', ...h })

before(async () => {
  www = mkdtempSync(join(tmpdir(), 'rel-www-'))
  tempDirs.push(www)
  writeFileSync(join(www, 'index.html'), '<!doctype html><title>rel</title>')
  emu = await spawnEmulator(['--step-ms', '20', '--api-key', KEY, '--serve', www, '--max-json-kb', '64', '--max-upload-mb', '1'])
  base = emu.url
})
after(async () => {
  await emu?.stop()
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true })
  recordArtifact('hardening', { checksPassed: counts.checks, keepAliveAfter413: counts.keepAlive, oversizedUploads: counts.bigUpload })
  console.log(`emulator hardening: ${counts.checks} HTTP checks passed`)
})

const ROUTES = [
  ['POST', '/v3/templates', '{"name":"x"}'],
  ['GET', `/templates/tpl/files/${HASH}`],
  ['POST', '/v2/templates/tpl/builds/bld', '{}'],
  ['GET', '/templates/tpl/builds/bld/status?logsOffset=0'],
  ['POST', '/templates/tags', '{"target":"x:y","tags":["z"]}'],
  ['DELETE', '/templates/tags', '{"name":"x","tags":["z"]}'],
  ['GET', '/templates/tpl/tags'],
  ['GET', '/templates/aliases/base'],
  ['GET', '/v2/templates?template_type=template_build&page=1&limit=10'],
  ['GET', '/templates/base'],
  ['DELETE', '/templates/tpl'],
  ['POST', '/sandboxes', '{"templateID":"base"}'],
  ['DELETE', '/sandboxes/sbx'],
  ['GET', '/templates'],
  ['GET', '/v3/templates'],
]

test('every API endpoint refuses a missing or wrong key with 401 JSON', async () => {
  for (const [method, path, body] of ROUTES) {
    for (const headers of [{}, { 'x-api-key': 'wrong' }, { authorization: 'Bearer wrong' }, { 'x-api-key': '' }, { authorization: `Basic ${Buffer.from(`u:${KEY}`).toString('base64')}` }]) {
      const r = await raw(method, path, { headers: { 'content-type': 'application/json', ...headers }, body })
      assert.equal(r.status, 401, `${method} ${path} with ${JSON.stringify(headers)}: ${r.status} ${r.text.slice(0, 200)}`)
      assert.equal(r.json?.code, 401, `${method} ${path}: JSON body`)
      assert.match(r.json.message, /API key/)
      counts.checks++
    }
  }
  // The same routes with the key are not 401 (the key works both ways).
  for (const [method, path, body] of ROUTES) {
    for (const h of [{ 'x-api-key': KEY }, { authorization: `Bearer ${KEY}` }]) {
      const r = await raw(method, path, { headers: { 'content-type': 'application/json', ...h }, body })
      assert.notEqual(r.status, 401, `${method} ${path} with the key`)
      counts.checks++
    }
  }
})

test('spellings of API paths cannot bypass the key', async () => {
  for (const path of ['//templates/base', '/TEMPLATES/base', '/%74emplates/base', '/templates/./base', '/x/../templates/base', '/templates//base', '/v2/../templates/base', '/templates%2fbase', '/./v2/templates']) {
    const r = await raw('GET', path)
    assert.ok(r.status === 401 || (r.status >= 400 && r.status < 500 && !/"templateID"/.test(r.text)), `${path}: ${r.status} ${r.text.slice(0, 200)}`)
    counts.checks++
  }
})

test('static files, the registry and CORS preflight need no key; uploads need their token', async () => {
  let r = await raw('GET', '/')
  assert.equal(r.status, 200)
  assert.match(r.text, /<title>rel<\/title>/)
  r = await raw('GET', '/index.html')
  assert.equal(r.status, 200)
  r = await raw('GET', '/registry/token?service=x&scope=repository:library/python:pull')
  assert.equal(r.status, 200)
  r = await raw('OPTIONS', '/v3/templates', { headers: { origin: 'http://example.com', 'access-control-request-method': 'POST' } })
  assert.equal(r.status, 204)
  for (const q of ['', '?token=wrong', `?token=${'0'.repeat(64)}`]) {
    r = await raw('PUT', `/uploads/${HASH}${q}`, { body: 'x' })
    assert.ok(r.status >= 400 && r.status < 500 && r.status !== 404 || r.status === 404, `PUT upload ${q}: ${r.status}`)
    assert.notEqual(r.status, 200)
    assert.equal(typeof r.json?.message, 'string', `PUT upload ${q}: JSON error body`)
  }
  counts.checks += 7
})

// The limit itself: an oversized body is never accepted. Fresh connections (agent:
// false); the next test covers a kept-alive one.

test('body size limits: oversized JSON and uploads are refused (413 JSON), chunked uploads 411', async () => {
  const big = JSON.stringify({ name: 'big', pad: 'x'.repeat(100 * 1024) }) // > --max-json-kb 64
  const check = (r, what) => {
    assert.equal(r.status, 413, `${what}: ${r.status} ${r.text.slice(0, 200)}`)
    assert.equal(r.json?.code, 413, `${what}: JSON body`)
  }
  check(await raw('POST', '/v3/templates', { headers: withKey(), body: big }), 'oversized build request')
  check(await raw('POST', '/templates/tags', { headers: withKey(), body: JSON.stringify({ target: 'x:y', tags: Array(20000).fill('t') }) }), 'oversized tags')
  let r = await raw('POST', '/v3/templates', { headers: withKey({ 'transfer-encoding': 'chunked' }), body: big })
  assert.ok([400, 411, 413].includes(r.status), `chunked JSON: ${r.status}`)
  assert.equal(await Template.exists('big', { apiUrl: base, apiKey: KEY }), false, 'no template from an oversized request')
  // Uploads: the real URL, then too big (> 1 MiB), chunked, and not a gzip tar.
  const created = await raw('POST', '/v3/templates', { headers: withKey(), body: JSON.stringify({ name: 'rel-upload-limits' }) })
  assert.equal(created.status, 202)
  const link = await raw('GET', `/templates/${created.json.templateID}/files/${HASH}`, { headers: withKey() })
  assert.equal(link.status, 201)
  const url = new URL(link.json.url)
  const path = url.pathname + url.search
  // An oversized upload is refused; whether its 413 arrives is the todo test below.
  r = await raw('PUT', path, { body: Buffer.alloc(2 * 1024 * 1024 + 10), resetOk: true })
  assert.ok([413, 'EPIPE', 'ECONNRESET'].includes(r.status), `upload > limit: ${r.status} ${r.text.slice(0, 200)}`)
  uploadPath = path
  r = await raw('PUT', path, { headers: { 'transfer-encoding': 'chunked' }, body: 'abc' })
  assert.equal(r.status, 411, `chunked upload: ${r.status}`)
  r = await raw('PUT', path, { body: 'not a gzip tar' })
  assert.equal(r.status, 400, `garbage upload: ${r.status}`)
  const gz = await new Promise((resolve) => { const z = createGzip(); const c = []; z.on('data', (d) => c.push(d)); z.on('end', () => resolve(Buffer.concat(c))); z.end(Buffer.alloc(1024, 7)) })
  r = await raw('PUT', path, { body: gz })
  assert.equal(r.status, 400, `gzip of a non-tar: ${r.status}`)
  const after = await raw('GET', `/templates/${created.json.templateID}/files/${HASH}`, { headers: withKey() })
  assert.equal(after.json?.present, false, 'nothing stored by refused uploads')
  counts.checks += 9
})

let uploadPath
test('an oversized upload gets its 413 reply (8 tries on fresh connections): the emulator reads the rest of the body (bounded) before it answers', async () => {
  const got = {}
  for (let i = 0; i < 8; i++) {
    const r = await raw('PUT', uploadPath, { body: Buffer.alloc(2 * 1024 * 1024 + 10), resetOk: true })
    got[r.status] = (got[r.status] || 0) + 1
  }
  counts.bigUpload = JSON.stringify(got)
  console.log(`emulator hardening: oversized uploads answered ${JSON.stringify(got)}`)
  assert.deepEqual(got, { 413: 8 })
})

test('after a 413 a kept-alive connection stays usable, or the reply says Connection: close', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const got = []
  try {
    for (let i = 0; i < 5; i++) {
      const big = await raw('POST', '/v3/templates', { headers: withKey(), body: JSON.stringify({ name: 'big', pad: 'x'.repeat(100 * 1024) }), resetOk: true, agent })
      const next = await raw('POST', '/v3/templates', { headers: withKey(), body: JSON.stringify({ name: `rel-after-413-${i}` }), resetOk: true, agent })
      got.push(`${big.status}${big.headers.connection === 'close' ? ' (close)' : ''} then ${next.status}`)
    }
  } finally {
    agent.destroy()
  }
  counts.keepAlive = got.join(', ')
  console.log(`emulator hardening: oversized body then a small one on a kept-alive connection: ${got.join(', ')}`)
  assert.ok(got.every((g) => g === '413 (close) then 202' || g === '413 then 202'), got.join(', '))
})

test('path traversal is refused on API ids, hashes, uploads and static files', async () => {
  const api = [
    '/templates/..%2F..%2Fetc%2Fpasswd', '/templates/%2e%2e/tags', `/templates/tpl/files/..%2F..%2F${'a'.repeat(58)}`,
    '/templates/tpl/files/../../../etc/passwd', '/templates/tpl/builds/..%2f..%2fx/status', '/templates/aliases/..%2F..%2Fetc',
    `/templates/tpl/files/${'A'.repeat(64)}`, '/templates/tpl/files/abc',
  ]
  for (const p of api) {
    const r = await raw('GET', p, { headers: withKey() })
    assert.ok(r.status >= 400 && r.status < 500, `${p}: ${r.status}`)
    assert.ok(!/root:.*:0:0:/.test(r.text), `${p}: /etc/passwd served`)
    counts.checks++
  }
  for (const p of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/.%2e/.%2e/etc/passwd', '/index.html/../../../etc/passwd', '/..\\..\\etc\\passwd']) {
    const r = await raw('GET', p)
    assert.ok(r.status >= 400 && r.status < 500, `${p}: ${r.status}`)
    assert.ok(!/root:.*:0:0:/.test(r.text), `${p}: /etc/passwd served`)
    counts.checks++
  }
  for (const p of ['/uploads/..%2F..%2Fetc%2Fpasswd?token=x', `/uploads/../../${HASH}?token=x`]) {
    const r = await raw('PUT', p, { body: 'x' })
    assert.ok(r.status >= 400 && r.status < 500, `PUT ${p}: ${r.status}`)
    counts.checks++
  }
})

test('kill -9 mid-build, restart on the same data dir: nothing lost, the build marked failed', { timeout: 120_000 }, async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rel-kill9-'))
  tempDirs.push(dataDir)
  const ctx = mkdtempSync(join(tmpdir(), 'rel-kill9-ctx-'))
  tempDirs.push(ctx)
  mkdirSync(join(ctx, 'app'))
  writeFileSync(join(ctx, 'app', 'main.py'), 'print("kept")\n')
  const args = ['--step-ms', '200', '--api-key', KEY, '--data-dir', dataDir]
  let e1 = await spawnEmulator(args)
  const conn = { apiUrl: e1.url, apiKey: KEY }
  try {
    // A ready template with tags and an upload.
    const tpl = Template({ fileContextPath: ctx }).fromTemplate('base').copy('app', '/app').runCmd('echo kept')
    const kept = await Template.build(tpl, 'rel-kept:v1', { ...conn, tags: ['stable'] })
    await Template.assignTags('rel-kept:v1', ['prod'], conn)
    const hash = JSON.parse(await Template.toJSON(tpl)).steps.find((s) => s.type === 'COPY').filesHash
    assert.match(hash, /^[0-9a-f]{64}$/)
    const uploadsBefore = readdirSync(join(dataDir, 'uploads'))
    assert.ok(uploadsBefore.some((f) => f.startsWith(hash)), `upload stored: ${uploadsBefore}`)
    // A long build, killed while building.
    const slow = Template().fromTemplate('base')
    for (let i = 0; i < 10; i++) slow.runCmd(`echo slow-${i}`)
    const bg = await Template.buildInBackground(slow, 'rel-interrupted', conn)
    for (let i = 0; i < 50; i++) {
      const s = await Template.getBuildStatus(bg, conn)
      if (s.status === 'building' && s.logEntries.length > 2) break
      await sleep(50)
    }
    await e1.kill()
    e1 = await respawnOnPort(e1.port, args)
    // Everything is still there.
    const got = await Template.get(kept.templateId, conn)
    assert.equal(got.buildId, kept.buildId)
    const tags = (await Template.getTags(kept.templateId, conn)).map((t) => t.tag).sort()
    assert.deepEqual(tags, ['prod', 'stable', 'v1'])
    assert.equal(await Template.exists('rel-kept:prod', conn), true)
    const link = await raw('GET', `/templates/${kept.templateId}/files/${hash}`, { headers: withKey(), port: e1.port })
    assert.equal(link.status, 201)
    assert.equal(link.json.present, true, 'the upload survived')
    // The interrupted build is failed, with its reason; its logs up to the kill are kept.
    const s = await Template.getBuildStatus(bg, { ...conn, logsOffset: 0 })
    assert.equal(s.status, 'error')
    assert.match(s.reason?.message || '', /interrupted/)
    assert.ok(s.logEntries.length > 2)
    // And the restarted emulator builds again (cached layers included).
    const again = []
    await Template.build(tpl, 'rel-kept:v2', { ...conn, onBuildLogs: (e) => again.push(e.message) })
    assert.ok(again.some((m) => m.startsWith('CACHED')), again.join('\n'))
    counts.checks += 9
  } finally {
    await e1.stop()
  }
})
