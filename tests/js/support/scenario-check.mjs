// The scenario every way of loading the package runs (scenario.js, as source text to
// embed in a page or a program), what the official SDK gives for the same templates,
// and the comparison.
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as official from 'novita-sandbox'
import { repoRoot } from './package-install.mjs'

export const scenarioSource = readFileSync(join(repoRoot, 'tests/js/support/scenario.js'), 'utf8')

export async function officialExpectation() {
  const t = official.Template({ fileContextPath: '.' })
    .fromImage('python:3.12', undefined, { inheritConfig: false })
    .pipInstall(['flask', 'requests'])
    .setEnvs({ APP_ENV: 'production' })
    .setStartCmd('python -m http.server 8000', official.waitForPort(8000))
  // The same two files on disk, hashed by the official SDK.
  const dir = mkdtempSync(join(tmpdir(), 'scenario-files-'))
  mkdirSync(join(dir, 'app'))
  writeFileSync(join(dir, 'app/main.py'), 'print("hi")\n')
  writeFileSync(join(dir, 'app/util.py'), 'X = 1\n')
  const withFiles = official.Template({ fileContextPath: dir }).fromImage('python:3.12', undefined, { inheritConfig: false }).copy('app', '/app')
  const filesHash = JSON.parse(await official.Template.toJSON(withFiles)).steps[0].filesHash
  return { dockerfile: official.Template.toDockerfile(t), json: await official.Template.toJSON(t), filesHash }
}

export function checkResult(result, expected) {
  assert.equal(result.callableWithoutNew, true)
  assert.equal(result.instanceofTemplate, true)
  assert.equal(result.withNew, true)
  assert.equal(result.dockerfile, expected.dockerfile)
  assert.equal(result.json, expected.json)
  assert.equal(result.emptyCmd.isError, true)
  assert.equal(result.emptyCmd.isTyped, true, `typed error expected, got ${JSON.stringify(result.emptyCmd)}`)
  assert.match(result.emptyCmd.message, /runCmd/)
  assert.equal(result.logEntry, '[2026-01-01T00:00:00.000Z] [info] green text')
  assert.equal(result.filesHash, expected.filesHash)
}

