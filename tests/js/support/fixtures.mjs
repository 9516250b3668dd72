// Loads the official SDK's recorded fixtures (../shared/reference/template-fixtures,
// beside the repository) and turns their `builderCalls` strings into templates.
import { readFileSync, readdirSync, mkdtempSync, cpSync, chmodSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
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
export function evalBuilderCalls(api, calls, contextRoot = fixturesDir, shorthandContext = contextRoot) {
  let text = calls.replace(/, built with \{.*\}$/, '')
  text = text.replace(/<contents of ([^>]+)>/, (_, path) => JSON.stringify(readFileSync(join(fixturesDir, path), 'utf8')))
  // `fileContextPath` appears either as a shorthand property or with a relative value.
  text = text.replace(/fileContextPath: '([^']+)'/, (_, p) => `fileContextPath: ${JSON.stringify(join(contextRoot, p))}`)
  const names = ['Template', 'waitForPort', 'waitForURL', 'waitForProcess', 'waitForFile', 'waitForTimeout', 'fileContextPath']
  const fn = new Function(...names, `return ${text}`)
  return fn(api.Template, api.waitForPort, api.waitForURL, api.waitForProcess, api.waitForFile, api.waitForTimeout, shorthandContext)
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
      cases.push({ id, file, calls, contextPath: data.fileContextPath, toJSONText: toJSON.text, toDockerfile, hasCopy: /\.copy(Items)?\(|COPY |ADD /.test(calls + (file.startsWith('03') ? 'COPY ' : '')), data })
    }
    if (data.cases) for (const [k, c] of Object.entries(data.cases)) add(`${file}#${k}`, c)
    else add(file, data)
  }
  return cases
}

/**
 * A writable copy of `inputs/` with the modes and the symlink the fixtures were
 * recorded with (shared/ may be read-only, and its checkout stores the symlink
 * as a plain file): files 0644, setup.sh 0755, directories 0755,
 * copy-context/link-to-req.txt → requirements.txt.
 */
export function preparedInputs() {
  const dir = mkdtempSync(join(tmpdir(), 'fixture-inputs-'))
  cpSync(join(fixturesDir, 'inputs'), join(dir, 'inputs'), { recursive: true })
  const walk = (p) => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const full = join(p, e.name)
      if (e.isDirectory()) {
        chmodSync(full, 0o755)
        walk(full)
      } else chmodSync(full, e.name === 'setup.sh' ? 0o755 : 0o644)
    }
  }
  chmodSync(join(dir, 'inputs'), 0o755)
  walk(join(dir, 'inputs'))
  const link = join(dir, 'inputs/copy-context/link-to-req.txt')
  rmSync(link)
  symlinkSync('requirements.txt', link)
  return dir
}
