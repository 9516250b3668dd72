// The two hosts implement the contract the face relies on (pkg-template/host.d.ts):
// tsc checks host-node.js and host-web.js against it, each in its own environment.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../js/support/package-install.mjs'

/** tsc --checkJs over `file` (copied next to host.d.ts) with `types` and `lib`. */
function check(file, types, lib) {
  const dir = mkdtempSync(join(tmpdir(), 'host-types-'))
  for (const f of ['host.d.ts', file]) copyFileSync(join(repoRoot, 'pkg-template', f), join(dir, f))
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { allowJs: true, checkJs: true, noEmit: true, strict: true, noImplicitAny: false, useUnknownInCatchVariables: false, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib, types, typeRoots: [join(repoRoot, 'node_modules/@types')] },
    files: [file],
  }))
  const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' })
  return r.status === 0 ? '' : r.stdout + r.stderr
}

test('host-node.js implements Host (Node types, no DOM)', () => {
  assert.equal(check('host-node.js', ['node'], ['ES2022']), '')
})

test('host-web.js implements Host (DOM types, no Node)', () => {
  assert.equal(check('host-web.js', [], ['ES2022', 'DOM']), '')
})
