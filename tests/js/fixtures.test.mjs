// For every template recorded in the official SDK's fixtures, the built package's
// `Template.toJSON` and `Template.toDockerfile` give the very same bytes.
// Templates whose COPY steps need a files hash are compared without `filesHash`
// (counted as pending) until hashing from disk is part of the package.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { templateCases, evalBuilderCalls, fixturesDir } from './support/fixtures.mjs'
import { repoRoot } from './support/package-install.mjs'

const require = createRequire(import.meta.url)
const ours = require(`${repoRoot}/pkg/node/index.cjs`)
// Flipped when copy() hashing from disk lands (the copy issue).
const COPY_HASHING = false
const counts = { toJSONEqual: 0, toDockerfileEqual: 0, pendingCopyHash: 0 }

function stripHashes(value) {
  return JSON.parse(JSON.stringify(value), (k, v) => (k === 'filesHash' ? undefined : v))
}

for (const c of templateCases()) {
  test(`fixture ${c.id}`, async () => {
    const dockerfileTemplate = evalBuilderCalls(ours, c.calls)
    if (typeof c.toDockerfile === 'string') {
      assert.equal(ours.Template.toDockerfile(dockerfileTemplate), c.toDockerfile)
      counts.toDockerfileEqual++
    } else if (c.toDockerfile && c.toDockerfile.error) {
      assert.throws(() => ours.Template.toDockerfile(dockerfileTemplate), (e) => e.message === c.toDockerfile.error.message && e.name === c.toDockerfile.error.name)
      counts.toDockerfileEqual++
    }
    const t = evalBuilderCalls(ours, c.calls)
    const withHashes = c.toJSONText.includes('"filesHash"')
    if (withHashes && !COPY_HASHING) {
      const text = await ours.Template.toJSON(t, false)
      assert.deepEqual(JSON.parse(text), stripHashes(JSON.parse(c.toJSONText)))
      counts.pendingCopyHash++
    } else {
      assert.equal(await ours.Template.toJSON(t), c.toJSONText)
      counts.toJSONEqual++
    }
  })
}

test('ready-command helpers and default images (fixture 08 "after")', async () => {
  const { after: a } = (await import(`${fixturesDir}/08-from-template-ready-patch.json`, { with: { type: 'json' } })).default
  for (const [expr, expected] of Object.entries(a.readyCmdHelpers)) {
    const cmd = new Function(...Object.keys(ours), `return ${expr}`)(...Object.values(ours))
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
  console.log(`fixtures: ${counts.toJSONEqual} toJSON equal, ${counts.toDockerfileEqual} toDockerfile equal, ${counts.pendingCopyHash} pending (COPY hash from disk)`)
})
