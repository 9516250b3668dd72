// For every template recorded in the official SDK's fixtures, the built package's
// `Template.toJSON` and `Template.toDockerfile` give the very same bytes.
// Templates whose COPY steps need a files hash are compared without `filesHash`
// (counted as pending) until hashing from disk is part of the package.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { templateCases, evalBuilderCalls, fixturesDir, preparedInputs } from './support/fixtures.mjs'
import { repoRoot } from './support/package-install.mjs'

const require = createRequire(import.meta.url)
const ours = require(`${repoRoot}/pkg/node/index.cjs`)
// COPY steps are hashed from a writable copy of the inputs with the recorded modes.
const inputsRoot = preparedInputs()
const counts = { toJSONEqual: 0, toDockerfileEqual: 0, copyHashesEqual: 0 }

function stripHashes(value) {
  return JSON.parse(JSON.stringify(value), (k, v) => (k === 'filesHash' ? undefined : v))
}

for (const c of templateCases()) {
  test(`fixture ${c.id}`, async () => {
    const dockerfileTemplate = evalBuilderCalls(ours, c.calls, inputsRoot, join(inputsRoot, c.contextPath ?? ''))
    if (typeof c.toDockerfile === 'string') {
      assert.equal(ours.Template.toDockerfile(dockerfileTemplate), c.toDockerfile)
      counts.toDockerfileEqual++
    } else if (c.toDockerfile && c.toDockerfile.error) {
      assert.throws(() => ours.Template.toDockerfile(dockerfileTemplate), (e) => e.message === c.toDockerfile.error.message && e.name === c.toDockerfile.error.name)
      counts.toDockerfileEqual++
    }
    const t = evalBuilderCalls(ours, c.calls, inputsRoot, join(inputsRoot, c.contextPath ?? ''))
    assert.equal(await ours.Template.toJSON(t), c.toJSONText)
    counts.toJSONEqual++
    counts.copyHashesEqual += (c.toJSONText.match(/"filesHash"/g) || []).length
    // Without hashes, the same text less the filesHash keys.
    assert.deepEqual(JSON.parse(await ours.Template.toJSON(evalBuilderCalls(ours, c.calls, inputsRoot, join(inputsRoot, c.contextPath ?? '')), false)), stripHashes(JSON.parse(c.toJSONText)))
  })
}

test('ready-command helpers and default images (fixture 08 "after")', async () => {
  const { after: a } = (await import(`${fixturesDir}/08-from-template-ready-patch.json`, { with: { type: 'json' } })).default
  for (const [expr, expected] of Object.entries(a.readyCmdHelpers)) {
    const names = Object.keys(ours).filter((k) => k !== 'default')
    const cmd = new Function(...names, `return ${expr}`)(...names.map((k) => ours[k]))
    assert.equal(cmd.getCmd(), expected, expr)
  }
  for (const [expr, image] of Object.entries(a.defaultImageTags)) {
    const call = expr.startsWith('Template()') ? '' : `.${expr}`
    const t = new Function('Template', `return Template()${call}`)(ours.Template)
    assert.equal(ours.Template.toDockerfile(t), `FROM ${image}\n`, expr)
  }
  for (const [expr, expected] of Object.entries(a.otherBases)) {
    if (expr.includes('..')) continue // elided arguments: not evaluable
    const chain = expr.startsWith('Template()') ? 'Template()' : `Template().${expr}`
    const t = new Function('Template', `return ${chain}`)(ours.Template)
    assert.deepEqual(JSON.parse(await ours.Template.toJSON(t)), expected.toJSON, expr)
  }
})

after(() => {
  rmSync(inputsRoot, { recursive: true, force: true })
  console.log(`fixtures: ${counts.toJSONEqual} toJSON equal (${counts.copyHashesEqual} COPY filesHash among them), ${counts.toDockerfileEqual} toDockerfile equal, 0 pending`)
})
