// Loads the official SDK's recorded fixtures (tests/fixtures/, see its README)
// and turns their `builderCalls` strings into templates.
import { readFileSync, readdirSync, mkdtempSync, mkdirSync, writeFileSync, chmodSync, lstatSync, readlinkSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { repoRoot } from './package-install.mjs'

export const fixturesDir = resolve(repoRoot, 'tests/fixtures')

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

/** `path -> target` for every link of tests/fixtures/symlinks.txt (paths relative to tests/fixtures/). */
export function symlinkManifest() {
  const links = new Map()
  for (const raw of readFileSync(join(fixturesDir, 'symlinks.txt'), 'utf8').split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const at = line.indexOf(' -> ')
    if (at < 0) throw new Error(`symlinks.txt: \`${line}\` is not \`<path> -> <target>\``)
    links.set(line.slice(0, at).trim(), line.slice(at + 4).trim())
  }
  return links
}

/**
 * A scratch copy of `inputs/` as the fixtures were recorded with it: directories
 * 0755, files 0644 (0755 where the checkout marks them executable), and each link
 * of symlinks.txt as a real symlink, whether the checkout holds the link or, with
 * core.symlinks=false, a plain file containing its target.
 */
export function preparedInputs() {
  const dir = mkdtempSync(join(tmpdir(), 'fixture-inputs-'))
  const links = symlinkManifest()
  const made = new Set()
  const copy = (from, to, rel) => {
    mkdirSync(to)
    for (const e of readdirSync(from, { withFileTypes: true })) {
      const src = join(from, e.name)
      const dst = join(to, e.name)
      const r = `${rel}/${e.name}`
      if (links.has(r)) {
        const stored = e.isSymbolicLink() ? readlinkSync(src, 'utf8') : readFileSync(src, 'utf8')
        if (stored !== links.get(r)) throw new Error(`${r}: the checkout holds ${JSON.stringify(stored)}, symlinks.txt says ${JSON.stringify(links.get(r))}`)
        symlinkSync(links.get(r), dst)
        made.add(r)
      } else if (e.isSymbolicLink()) {
        throw new Error(`${r} is a symlink that symlinks.txt does not list`)
      } else if (e.isDirectory()) {
        copy(src, dst, r)
      } else {
        writeFileSync(dst, readFileSync(src))
        chmodSync(dst, lstatSync(src).mode & 0o111 ? 0o755 : 0o644)
      }
    }
    chmodSync(to, 0o755)
  }
  copy(join(fixturesDir, 'inputs'), join(dir, 'inputs'), 'inputs')
  for (const r of links.keys()) if (!made.has(r)) throw new Error(`symlinks.txt lists ${r}, which the checkout lacks`)
  return dir
}
