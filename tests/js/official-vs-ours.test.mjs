// The official novita-sandbox@2.1.1 and this package, given the same template
// definitions (our own, beyond the fixtures), produce the same toJSON and
// toDockerfile bytes; where we deliberately differ (README "Differences"), both
// outputs are shown and pinned.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as official from 'novita-sandbox'
import { repoRoot } from './support/package-install.mjs'

const ours = createRequire(import.meta.url)(`${repoRoot}/pkg/node/index.cjs`)

const ctx = mkdtempSync(join(tmpdir(), 'same-defs-'))
mkdirSync(join(ctx, 'src'))
writeFileSync(join(ctx, 'src/main.ts'), 'console.log(1)\n')
writeFileSync(join(ctx, 'package.json'), '{"name":"x"}\n')
writeFileSync(join(ctx, 'Dockerfile'), 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nENV NODE_ENV=production PORT=8080\nCMD ["node", "dist/main.js"]\n')

// Each definition receives an SDK (ours or the official) and returns a template.
// Bases avoid registry reads (fromTemplate, inheritConfig: false) except where noted.
const definitions = {
  'run steps, users and workdir': (s) => s.Template().fromTemplate('base').runCmd('echo a').runCmd(['apt-get update', 'apt-get install -y jq'], { user: 'root' }).setWorkdir('/srv').setUser('app'),
  'package managers': (s) => s.Template().fromImage('node:20', undefined, { inheritConfig: false }).npmInstall(['tsx', 'zod'], { g: true }).npmInstall('vitest', { dev: true }).bunInstall().pipInstall(['requests==2.32.0']).pipInstall('rich', { g: false }),
  'apt with flags': (s) => s.Template().fromTemplate('base').aptInstall(['curl', 'git', 'build-essential'], { noInstallRecommends: true }).aptInstall('jq', { fixMissing: true }),
  'envs with quotes and dollars': (s) => s.Template().fromTemplate('base').setEnvs({ A: '1', PATH: '$HOME/bin:$PATH', QUOTED: 'say "hi"', TICK: '`date`', 'not valid': 'x' }).setEnvs({ A: '2', B: '' }),
  'files helpers with plain paths': (s) => s.Template().fromTemplate('base').makeDir(['/opt/a', '/opt/b'], { mode: 0o700, user: 'root' }).makeSymlink('/opt/a', '/opt/c', { force: true }).rename('/opt/b', '/opt/d').remove('/opt/d', { recursive: true }),
  'git clone variants': (s) => s.Template().fromTemplate('base').gitClone('https://github.com/octo/repo.git').gitClone('git@github.com:octo/repo.git', '/src/repo', { branch: 'release-1.2', depth: 5, user: 'root' }),
  'start, ready and patch commands': (s) => s.Template().fromTemplate('base').setPatchCmd('sysctl -w net.core.somaxconn=1024').setStartCmd('npm start', s.waitForURL('http://127.0.0.1:3000/ready', 201)).setReadyCmd(s.waitForProcess('node')),
  'skipCache mid-chain and before from': (s) => s.Template().skipCache().fromImage('ubuntu:24.04', undefined, { inheritConfig: false }).runCmd('a').skipCache().runCmd('b').setEnvs({ K: 'v' }),
  'private registry credentials': (s) => s.Template().fromImage('ghcr.io/org/private:2', { username: 'bot', password: 'p@ss' }, { inheritConfig: false }).runCmd('id'),
  'cloud registries': (s) => s.Template().fromAWSRegistry('1.dkr.ecr.eu-west-1.amazonaws.com/a:1', { accessKeyId: 'AK', secretAccessKey: 'SK', region: 'eu-west-1' }).fromHuaweiCloudRegistry('swr.example.com/n/a:1', { accessKeyId: 'h', secretAccessKey: 's', region: 'r' }),
  'mcp and devcontainer templates': (s) => s.Template().fromTemplate('mcp-gateway').addMcpServer(['github', 'notion']),
  'copy with options (hashes computed on both sides)': (s) => s.Template({ fileContextPath: ctx }).fromTemplate('base').copy('src', '/app/src', { user: 'app', mode: 0o640 }).copy(['package.json'], '/app/').copyItems([{ src: 'src/main.ts', dest: '/entry.ts', forceUpload: true }]),
  'a Dockerfile from a path (registry read fails offline on both sides)': (s) => s.Template({ fileContextPath: ctx }).fromDockerfile(join(ctx, 'Dockerfile')),
  'waitForTimeout rounding': (s) => s.Template().fromTemplate('base').setStartCmd('sleep infinity', s.waitForTimeout(2999)),
}

for (const [name, define] of Object.entries(definitions)) {
  test(`same bytes as novita-sandbox: ${name}`, async () => {
    const theirs = await official.Template.toJSON(define(official))
    const mine = await ours.Template.toJSON(define(ours))
    assert.equal(mine, theirs)
    const dockerfile = (sdk) => {
      try {
        return sdk.Template.toDockerfile(define(sdk))
      } catch (e) {
        return `${e.name}: ${e.message}`
      }
    }
    assert.equal(dockerfile(ours), dockerfile(official))
  })
}

// Documented differences: the official output, then ours.
const differences = [
  {
    name: 'makeDir of a path with a space is quoted',
    define: (s) => s.Template().fromTemplate('base').makeDir('/opt/my dir'),
    official: 'mkdir -p /opt/my dir',
    ours: "mkdir -p '/opt/my dir'",
  },
  {
    name: 'gitClone of a branch with shell characters is quoted',
    define: (s) => s.Template().fromTemplate('base').gitClone('https://example.com/r.git', '/r', { branch: 'x;touch /pwned' }),
    official: 'git clone https://example.com/r.git --branch x;touch /pwned --single-branch /r',
    ours: "git clone https://example.com/r.git --branch 'x;touch /pwned' --single-branch /r",
  },
]
for (const d of differences) {
  test(`deliberate difference: ${d.name}`, async () => {
    const first = async (sdk) => JSON.parse(await sdk.Template.toJSON(d.define(sdk))).steps[0].args[0]
    assert.equal(await first(official), d.official)
    assert.equal(await first(ours), d.ours)
  })
}

test('deliberate difference: fromDockerfile keeps every source of a multi-source COPY', async () => {
  const df = 'FROM ubuntu:22.04\nCOPY package.json src/ /app/\n'
  const copies = async (sdk) =>
    JSON.parse(await sdk.Template.toJSON(sdk.Template({ fileContextPath: ctx }).fromDockerfile(df), false))
      .steps.filter((s) => s.type === 'COPY').map((s) => s.args[0])
  assert.deepEqual(await copies(official), ['package.json'])
  assert.deepEqual(await copies(ours), ['package.json', 'src/'])
})
