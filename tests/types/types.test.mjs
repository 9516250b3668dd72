// Types as users get them: the packed tarball installed in fresh projects and
// type-checked by tsc under the four module resolutions (NodeNext ESM, Node16 from
// CommonJS, Bundler, node10); common.ts (written against novita-sandbox's typings)
// compiles against both SDKs; every Template-API type name novita-sandbox exports
// exists here too; and @arethetypeswrong/cli and publint find no problem.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { projectWithPackage, packedTarball, repoRoot } from '../js/support/package-install.mjs'

const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc')
const here = join(repoRoot, 'tests/types')
const common = readFileSync(join(here, 'common.ts'), 'utf8')
const extras = readFileSync(join(here, 'extras.ts'), 'utf8')

// The Template API's public names in novita-sandbox 2.1.1 (its dist/index.d.ts):
// the builder and its types, options and results, log entries, errors, ready
// commands, tags and build status. The test checks that novita-sandbox does export
// each one (so the list is not invented) and that this package does too.
const TEMPLATE_API_NAMES = [
  'Template', 'TemplateBase', 'TemplateBuilder', 'TemplateClass', 'TemplateApi', 'TemplateApiOpts', 'TemplatePaginator',
  'PaginatedTemplatesResponse', 'BuildInfo', 'BuildOptions', 'BuildStatusReason', 'CopyItem', 'GetBuildStatusOptions',
  'McpServerName', 'TemplateBuildStatus', 'TemplateBuildStatusResponse', 'TemplateDeleteOpts', 'TemplateInfo',
  'TemplateListOpts', 'TemplateListResponse', 'TemplateTag', 'TemplateTagInfo', 'TemplateType', 'ReadyCmd',
  'waitForPort', 'waitForURL', 'waitForProcess', 'waitForFile', 'waitForTimeout', 'LogEntry', 'LogEntryStart',
  'LogEntryEnd', 'LogEntryLevel', 'defaultBuildLogger', 'RegistryCredentials', 'ImageConfig', 'ConnectionOpts',
  'Sandbox', 'SandboxOpts', 'SandboxError', 'TemplateError', 'BuildError', 'FileUploadError', 'AuthenticationError',
  'RateLimitError', 'NotFoundError', 'TimeoutError', 'InvalidArgumentError', 'TemplateBuildTimeoutError',
  'InvalidImageReferenceError', 'RegistryAuthenticationError', 'ImageConfigError', 'SandboxCreateError',
]

const BASE = { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: ['node'], skipLibCheck: false }

/** Runs tsc in `dir` with `options` over `files`; returns its output ('' when clean). */
function typecheck(dir, options, files) {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...BASE, ...options }, files }, null, 2))
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' })
  return r.status === 0 ? '' : `${r.stdout}${r.stderr}`
}

/** A project with the tarball, @types/node and novita-sandbox (linked), and the programs. */
function project(type) {
  const dir = projectWithPackage(type)
  for (const dep of ['@types/node', 'novita-sandbox']) {
    const to = join(dir, 'node_modules', dep)
    mkdirSync(join(to, '..'), { recursive: true })
    if (!existsSync(to)) symlinkSync(join(repoRoot, 'node_modules', dep), to, 'dir')
  }
  writeFileSync(join(dir, 'common.ts'), common.replace("from 'SDK'", "from 'novita-template-wasm'"))
  writeFileSync(join(dir, 'common-official.ts'), common.replace("from 'SDK'", "from 'novita-sandbox'"))
  writeFileSync(join(dir, 'extras.ts'), extras)
  const names = (sdk) => `import type { ${TEMPLATE_API_NAMES.join(', ')} } from '${sdk}'\nexport type { ${TEMPLATE_API_NAMES.join(', ')} }\n`
  writeFileSync(join(dir, 'names.ts'), names('novita-template-wasm'))
  writeFileSync(join(dir, 'names-official.ts'), names('novita-sandbox'))
  return dir
}

const esm = project('module')
const cjs = project('commonjs')

test('NodeNext (an ES module project): the programs type-check', () => {
  assert.equal(typecheck(esm, { module: 'NodeNext', moduleResolution: 'NodeNext' }, ['common.ts', 'extras.ts', 'names.ts']), '')
})

test('Node16 from CommonJS: the programs type-check against the CommonJS declarations', () => {
  assert.equal(typecheck(cjs, { module: 'Node16', moduleResolution: 'Node16' }, ['common.ts', 'extras.ts', 'names.ts']), '')
})

test('Bundler: the programs type-check', () => {
  assert.equal(typecheck(esm, { module: 'ESNext', moduleResolution: 'Bundler' }, ['common.ts', 'extras.ts', 'names.ts']), '')
})

test('node10: the programs type-check (subpaths through their package.json)', () => {
  assert.equal(typecheck(cjs, { module: 'CommonJS', moduleResolution: 'node10', ignoreDeprecations: '5.0' }, ['common.ts', 'extras.ts', 'names.ts']), '')
})

test('the program written for novita-sandbox compiles against it too, with the same names', () => {
  // Its declarations are checked in the one mode they support (bundler).
  assert.equal(typecheck(esm, { module: 'ESNext', moduleResolution: 'Bundler', skipLibCheck: true }, ['common-official.ts', 'names-official.ts']), '')
})

test('a missing name fails the name check (the check can fail)', () => {
  writeFileSync(join(esm, 'missing.ts'), "import type { NoSuchTemplateType } from 'novita-template-wasm'\nexport type { NoSuchTemplateType }\n")
  assert.match(typecheck(esm, { module: 'ESNext', moduleResolution: 'Bundler' }, ['missing.ts']), /NoSuchTemplateType/)
})

test('@arethetypeswrong/cli: no problem in any resolution mode', () => {
  const out = execFileSync(process.execPath, [join(repoRoot, 'node_modules/@arethetypeswrong/cli/dist/index.js'), packedTarball(), '--format', 'json'], { encoding: 'utf8' })
  const report = JSON.parse(out)
  const problems = Object.values(report.problems ?? {}).flat()
  assert.deepEqual(problems, [], JSON.stringify(problems, null, 1))
  const kinds = Object.values(report.analysis.entrypoints).flatMap((e) => Object.keys(e.resolutions))
  for (const mode of ['node10', 'node16-cjs', 'node16-esm', 'bundler']) assert.ok(kinds.includes(mode), `mode ${mode} analysed`)
})

test('publint: no errors, warnings or suggestions', async () => {
  const { publint } = await import('publint')
  const { messages } = await publint({ pkgDir: join(repoRoot, 'pkg'), strict: true })
  assert.deepEqual(messages, [])
})
