// Loads the official SDK's recorded fixtures (../shared/reference/template-fixtures,
// beside the repository) and turns their `builderCalls` strings into templates.
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { repoRoot } from './package-install.mjs'

export const fixturesDir = resolve(repoRoot, '../shared/reference/template-fixtures')

export function loadFixtures() {
  return readdirSync(fixturesDir)
    .filter((f) => /^\d\d[a-z]?-.*\.json$/.test(f))
    .sort()
    .map((f) => ({ file: f, data: JSON.parse(readFileSync(join(fixturesDir, f), 'utf8')) }))
}

/**
 * Evaluates a fixture's `builderCalls` text (JavaScript, as the official SDK was
 * called) against `api`, which may be ours or the official SDK.
 */
export function evalBuilderCalls(api, calls, fixtureContextPath) {
  let text = calls.replace(/, built with \{.*\}$/, '')
  text = text.replace(/<contents of ([^>]+)>/, (_, path) => JSON.stringify(readFileSync(join(fixturesDir, path), 'utf8')))
  // `fileContextPath` appears either as a shorthand property or with a relative value.
  text = text.replace(/fileContextPath: '([^']+)'/, (_, p) => `fileContextPath: ${JSON.stringify(join(fixturesDir, p))}`)
  const names = ['Template', 'waitForPort', 'waitForURL', 'waitForProcess', 'waitForFile', 'waitForTimeout', 'fileContextPath']
  const fn = new Function(...names, `return ${text}`)
  return fn(api.Template, api.waitForPort, api.waitForURL, api.waitForProcess, api.waitForFile, api.waitForTimeout, fixtureContextPath ?? fixturesDir)
}

/** Every template case of every fixture: `{ id, calls, toJSONText, toDockerfile, hasCopy, buildOptions }`. */
export function templateCases() {
  const cases = []
  for (const { file, data } of loadFixtures()) {
    const add = (id, c) => {
      if (!c || !c.builderCalls && !data.builderCalls) return
      const calls = c.builderCalls ?? data.builderCalls
      const toJSON = c.registryOffline ? c.registryOffline.toJSON : c.toJSON
      const toDockerfile = c.registryOffline ? c.registryOffline.toDockerfile : c.toDockerfile
      if (!toJSON) return
      cases.push({ id, file, calls, toJSONText: toJSON.text, toDockerfile, hasCopy: /\.copy(Items)?\(|COPY |ADD /.test(calls + (file.startsWith('03') ? 'COPY ' : '')), data })
    }
    if (data.cases) for (const [k, c] of Object.entries(data.cases)) add(`${file}#${k}`, c)
    else add(file, data)
  }
  return cases
}
