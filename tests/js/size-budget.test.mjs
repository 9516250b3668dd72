// The shipped wasm modules stay under their byte ceilings (scripts/size-budget.json):
// bytes are deterministic, so this is a test; speed is measured by bench/, not here.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { repoRoot } from './support/package-install.mjs'
import { sizeReport, budget } from '../../scripts/size-report.mjs'

test('each wasm module is within its gzip ceiling', () => {
  const { files, over } = sizeReport(join(repoRoot, 'pkg'))
  for (const f of Object.keys(budget.gzipCeilings)) assert.ok(files[f].gzip > 0, `${f} measured`)
  assert.deepEqual(over, [])
})
