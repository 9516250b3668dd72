// A bad argument is an InvalidArgumentError that names the argument (`error.argument`)
// and the call, so a form can put the message under the field it is about without
// reading the message: builder calls (checked in the model) and call options
// (checked by their declared shapes), all before any request.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { repoRoot } from './support/package-install.mjs'

const require = createRequire(import.meta.url)
const { Template, InvalidArgumentError, TemplateError } = require(`${repoRoot}/pkg/node/index.cjs`)

const keys = { accessKeyId: 'a', secretAccessKey: 's', region: 'r' }
const base = () => Template().fromImage('python:3.12')

/** [what is called, the call, the argument it must name, the start of the message] */
const builderCases = [
  ['runCmd("")', () => base().runCmd(''), 'command', 'runCmd: command'],
  ['runCmd([])', () => base().runCmd([]), 'command', 'runCmd: command'],
  ['gitClone url', () => base().gitClone(''), 'url', 'gitClone: url'],
  ['gitClone depth', () => base().gitClone('https://x/y.git', undefined, { depth: 0 }), 'depth', 'gitClone: depth'],
  ['copy src', () => base().copy('', '/app'), 'src', 'copy: src'],
  ['copy src list', () => base().copy([], '/app'), 'src', 'copy: src'],
  ['copy dest', () => base().copy('a.txt', ''), 'dest', 'copy: dest'],
  ['copy mode', () => base().copy('a.txt', '/app', { mode: 0o17777 }), 'mode', 'copy: mode'],
  ['fromImage', () => Template().fromImage(''), 'image', 'fromImage: image'],
  ['fromAWSRegistry', () => Template().fromAWSRegistry('', keys), 'image', 'fromAWSRegistry: image'],
  ['fromHuaweiCloudRegistry', () => Template().fromHuaweiCloudRegistry('', keys), 'image', 'fromHuaweiCloudRegistry: image'],
  ['setWorkdir', () => base().setWorkdir(''), 'workdir', 'setWorkdir: workdir'],
  ['rename dest', () => base().rename('a', ''), 'dest', 'rename: dest'],
]

test('builder: an absolute COPY source keeps the official TemplateError and names `src`', () => {
  assert.throws(() => base().copy('/etc/passwd', '/app'), (e) => {
    assert.ok(e instanceof TemplateError, `${e.name}: ${e.message}`)
    assert.equal(e.argument, 'src')
    assert.match(e.message, /^Invalid source path "\/etc\/passwd": absolute paths are not allowed/)
    return true
  })
})

for (const [what, call, argument, start] of builderCases) {
  test(`builder: ${what} names \`${argument}\``, () => {
    assert.throws(call, (e) => {
      assert.ok(e instanceof InvalidArgumentError, `${e.name}: ${e.message}`)
      assert.equal(e.argument, argument, e.message)
      assert.ok(e.message.startsWith(start), e.message)
      return true
    })
  })
}

test('call options: the option at fault is named, before any request', async () => {
  // Port 9 on 127.0.0.1: nothing listens; a request would be a NetworkError instead.
  const conn = { apiUrl: 'http://127.0.0.1:9', apiKey: 'k' }
  const t = base().runCmd('make')
  for (const [options, argument] of [[{ tags: [1] }, 'tags'], [{ timeoutMs: -1 }, 'timeoutMs'], [{ cpuCount: 'two' }, 'cpuCount']]) {
    await assert.rejects(Template.build(t, 'app', { ...conn, ...options }), (e) => {
      assert.ok(e instanceof InvalidArgumentError, `${e.name}: ${e.message}`)
      assert.equal(e.argument, argument, e.message)
      return true
    })
  }
})
