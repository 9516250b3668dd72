// copy() end to end in Node: hashes equal the official SDK's for the same files,
// a racy tree hashes the same every time, the uploaded archive lists the expected
// entries, modes and link targets (tar -tzvf), unchanged files are not uploaded
// again, missing sources are reported when the files are needed, and memory stays flat on a
// 300 MB context.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { execFileSync, execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, chmodSync, rmSync, openSync, writeSync, closeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as official from 'novita-sandbox'
import { repoRoot } from './support/package-install.mjs'
import { startEmulator } from './support/emulator.mjs'

const require = createRequire(import.meta.url)
const pkg = require(`${repoRoot}/pkg/node/index.cjs`)
const { Template, TemplateError } = pkg
const run = promisify(execFile)

function makeContext() {
  const dir = mkdtempSync(join(tmpdir(), 'copy-ctx-'))
  mkdirSync(join(dir, 'app/lib'), { recursive: true })
  writeFileSync(join(dir, 'app/main.py'), 'print("hi")\n')
  writeFileSync(join(dir, 'app/lib/util.py'), 'X = 1\n')
  writeFileSync(join(dir, 'app/lib/cache.tmp'), 'ignored\n')
  writeFileSync(join(dir, 'setup.sh'), '#!/bin/sh\necho setup\n')
  chmodSync(join(dir, 'setup.sh'), 0o755)
  writeFileSync(join(dir, 'requirements.txt'), 'flask\n')
  symlinkSync('requirements.txt', join(dir, 'req-link.txt'))
  writeFileSync(join(dir, '.dockerignore'), '**/*.tmp\n')
  return dir
}

const define = (api, ctx) =>
  api.Template({ fileContextPath: ctx })
    .fromImage('python:3.12', undefined, { inheritConfig: false })
    .copy('app', '/home/user/app')
    .copy('setup.sh', '/usr/local/bin/setup.sh', { mode: 0o755 })
    .copy('req-link.txt', '/data/')
    .copy('*.txt', '/glob/')

let emu, dataDir
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'emu-data-'))
  emu = await startEmulator(['--step-ms', '20', '--data-dir', dataDir, '--max-upload-mb', '1024'])
})
after(async () => {
  await emu?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

test('files hashes equal the official SDK on the same files', async () => {
  const ctx = makeContext()
  const ours = await Template.toJSON(define(pkg, ctx))
  const theirs = await official.Template.toJSON(define(official, ctx))
  assert.equal(ours, theirs)
  assert.equal((ours.match(/"filesHash"/g) || []).length, 4)
})

test('a racy tree (sibling subdirectories) hashes identically 20 times', async () => {
  const ctx = mkdtempSync(join(tmpdir(), 'racy-'))
  for (const d of ['a', 'b', 'c']) {
    mkdirSync(join(ctx, d, 'deep'), { recursive: true })
    for (let i = 0; i < 5; i++) writeFileSync(join(ctx, d, `f${i}.txt`), `${d}${i}`)
    writeFileSync(join(ctx, d, 'deep', 'x.bin'), randomBytes(1000))
  }
  const hashes = new Set()
  for (let i = 0; i < 20; i++) {
    const json = JSON.parse(await Template.toJSON(Template({ fileContextPath: ctx }).fromTemplate('base').copy('.', '/ctx')))
    hashes.add(json.steps[0].filesHash)
  }
  assert.equal(hashes.size, 1)
})

test('build uploads archives that tar lists with the expected entries, modes and links', async () => {
  const ctx = makeContext()
  const conn = { apiUrl: emu.url, apiKey: emu.key }
  const logs = []
  const t = define(pkg, ctx)
  await Template.build(t, 'copy-e2e', { ...conn, onBuildLogs: (e) => logs.push(e.message) })
  assert.ok(logs.includes("Uploaded 'app'"), logs.join('\n'))
  const steps = JSON.parse(await Template.toJSON(t)).steps
  const list = (hash) => execFileSync('tar', ['-tzvf', join(dataDir, 'uploads', `${hash}.tar.gz`)], { encoding: 'utf8' })
  const app = list(steps[0].filesHash)
  assert.match(app, /^drwxr-xr-x .* app\/$/m)
  assert.match(app, /^-rw-r--r-- .* app\/main\.py$/m)
  assert.match(app, /^-rw-r--r-- .* app\/lib\/util\.py$/m)
  assert.doesNotMatch(app, /cache\.tmp/, '.dockerignore applies to the archive')
  assert.match(list(steps[1].filesHash), /^-rwxr-xr-x .* setup\.sh$/m)
  assert.match(list(steps[2].filesHash), /^lrwxrwxrwx .* req-link\.txt -> requirements\.txt$/m)
  // Unchanged files: the server already has them, nothing is uploaded again.
  const again = []
  await Template.build(define(pkg, ctx), 'copy-e2e', { ...conn, onBuildLogs: (e) => again.push(e.message) })
  assert.ok(again.includes("Skipping upload of 'app', already cached"), again.join('\n'))
  assert.ok(!again.some((m) => m.startsWith('Uploaded')))
})

test('missing sources are found when the files are needed, and point at the copy() call', async () => {
  const ctx = makeContext()
  // As the official SDK: a template can be described (and printed) without its files.
  const t = Template({ fileContextPath: ctx }).fromImage('node:22', undefined, { inheritConfig: false }).copy('missing.txt', '/x')
  const line = Number(new Error().stack.split('\n')[1].match(/:(\d+):\d+\)?$/)[1]) - 1
  assert.match(Template.toDockerfile(t), /^COPY missing.txt \/x$/m)
  assert.match(await Template.toJSON(t, false), /"missing.txt"/)
  // Hashing needs them: the official `Error`, its top frame the user's copy() line.
  const e = await Template.toJSON(t).then(() => null, (e) => e)
  assert.equal(e?.name, 'Error')
  assert.equal(e.message, `No files found in ${join(ctx, 'missing.txt')}`)
  const top = e.stack.split('\n')[1]
  assert.ok(top.includes('copy.test.mjs') && top.includes(`:${line}:`), top)
  await assert.rejects(Template.toJSON(Template({ fileContextPath: ctx }).fromImage('node:22', undefined, { inheritConfig: false }).copy('nomatch/*.py', '/x')), /No files found/)
  // What needs no file system stays immediate.
  assert.throws(() => Template({ fileContextPath: ctx }).copy('../outside', '/x'), (e) => e instanceof TemplateError && /escapes the context directory/.test(e.message))
  assert.throws(() => Template({ fileContextPath: ctx }).copy('/etc/passwd', '/x'), (e) => e instanceof TemplateError && /absolute paths are not allowed/.test(e.message))
})

test('peak memory stays far below a 300 MB context', { timeout: 240000 }, async () => {
  const ctx = mkdtempSync(join(tmpdir(), 'big-ctx-'))
  try {
    // 300 MB of incompressible files, written in 4 MiB blocks.
    const block = randomBytes(4 * 1024 * 1024)
    for (let f = 0; f < 15; f++) {
      const fd = openSync(join(ctx, `blob${f}.bin`), 'w')
      for (let i = 0; i < 5; i++) writeSync(fd, block)
      closeSync(fd)
    }
    const script = join(ctx, '..', `${ctx.split('/').pop()}-measure.cjs`)
    writeFileSync(
      script,
      `const { Template } = require(${JSON.stringify(`${repoRoot}/pkg/node/index.cjs`)})
const rss = () => process.memoryUsage().rss
;(async () => {
  const before = rss()
  let peak = before
  const timer = setInterval(() => { peak = Math.max(peak, rss()) }, 20)
  await Template.build(Template({ fileContextPath: ${JSON.stringify(ctx)} }).fromTemplate('base').copy('.', '/data'), 'copy-big', { apiUrl: ${JSON.stringify(emu.url)}, apiKey: ${JSON.stringify(emu.key)} })
  clearInterval(timer)
  peak = Math.max(peak, rss(), process.resourceUsage().maxRSS * 1024)
  console.log(JSON.stringify({ before, peak }))
})().catch((e) => { console.error(e); process.exit(1) })`,
    )
    const { stdout } = await run('node', [script], { timeout: 200000 })
    const { before, peak } = JSON.parse(stdout)
    const growthMB = (peak - before) / 1048576
    console.log(`copy of a 300 MB context: peak RSS ${(peak / 1048576).toFixed(0)} MiB, growth ${growthMB.toFixed(0)} MiB`)
    assert.ok(growthMB < 150, `peak RSS grew by ${growthMB.toFixed(0)} MiB`)
  } finally {
    rmSync(ctx, { recursive: true, force: true })
  }
})

test('onUploadProgress reports hashing and archiving up to the total bytes', async () => {
  const ctx = makeContext()
  const events = []
  await Template.build(Template({ fileContextPath: ctx }).fromTemplate('base').copy('app', '/app'), 'copy-progress', {
    apiUrl: emu.url,
    apiKey: emu.key,
    onUploadProgress: (p) => events.push(p),
  })
  const total = 'print("hi")\n'.length + 'X = 1\n'.length
  for (const phase of ['hash', 'archive']) {
    const last = events.filter((e) => e.phase === phase).at(-1)
    assert.deepEqual(last, { src: 'app', phase, bytesDone: total, bytesTotal: total })
  }
})

test('without fileContextPath, sources are relative to the calling file (ESM and CJS), not the cwd', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'caller-dir-'))
  writeFileSync(join(dir, 'here.txt'), 'next to the script\n')
  writeFileSync(join(dir, 'esm.mjs'), `import { Template } from ${JSON.stringify(`${repoRoot}/pkg/node/index.mjs`)}\nconst j = JSON.parse(await Template.toJSON(Template().fromTemplate('base').copy('here.txt', '/x')))\nconsole.log(j.steps[0].filesHash)\n`)
  writeFileSync(join(dir, 'cjs.cjs'), `const { Template } = require(${JSON.stringify(`${repoRoot}/pkg/node/index.cjs`)})\nTemplate.toJSON(Template().fromTemplate('base').copy('here.txt', '/x')).then((t) => console.log(JSON.parse(t).steps[0].filesHash))\n`)
  const esm = (await run('node', [join(dir, 'esm.mjs')], { cwd: tmpdir() })).stdout.trim()
  const cjs = (await run('node', [join(dir, 'cjs.cjs')], { cwd: tmpdir() })).stdout.trim()
  assert.match(esm, /^[0-9a-f]{64}$/)
  assert.equal(esm, cjs)
})
