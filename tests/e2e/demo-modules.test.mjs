// The demo page's code is ES modules loaded by the browser as they are (no build
// step), sharing one state object: no module keeps mutable state at its top level,
// and every module is reached from app.js.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve, dirname } from 'node:path'
import { repoRoot } from './demo-harness.mjs'

const www = process.env.DEMO_WWW_DIR || join(repoRoot, 'www')
const modules = () => ['app.js', ...readdirSync(join(www, 'modules')).filter((f) => f.endsWith('.js')).map((f) => `modules/${f}`)]

test('www/ is ES modules: index.html loads app.js, which reaches every module', () => {
  const html = readFileSync(join(www, 'index.html'), 'utf8')
  assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]), ['<script type="module" src="app.js">'])
  const seen = new Set()
  const visit = (file) => {
    if (seen.has(file)) return
    seen.add(file)
    const src = readFileSync(join(www, file), 'utf8')
    for (const [, spec] of src.matchAll(/^import .* from '(\.[^']+)'$/gm)) visit(resolve('/', dirname(file), spec).slice(1))
  }
  visit('app.js')
  assert.deepEqual([...seen].sort(), modules().sort())
  assert.ok(modules().length >= 8, 'split into modules')
  assert.ok(readFileSync(join(www, 'app.js'), 'utf8').split('\n').length < 80, 'app.js only wires the modules')
})

test('one state object: no module has top-level let or var; state.js exports it', () => {
  for (const file of modules()) {
    const src = readFileSync(join(www, file), 'utf8')
    const mutable = src.split('\n').filter((l) => /^(export )?(let|var) /.test(l))
    assert.deepEqual(mutable, [], `${file} keeps mutable state at top level`)
  }
  const state = readFileSync(join(www, 'modules/state.js'), 'utf8')
  assert.match(state, /^export const state = \{$/m)
  for (const part of ['connection', 'form', 'build', 'log', 'templates', 'tags', 'sandbox']) assert.match(state, new RegExp(`^  ${part}: \\{`, 'm'), part)
})
