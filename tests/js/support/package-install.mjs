// Packs pkg/ with `npm pack` once per test process and installs the tarball into
// throwaway projects, the way users get the package.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
let tarball

export function packedTarball() {
  if (tarball) return tarball
  const pkgDir = join(repoRoot, 'pkg')
  if (!existsSync(join(pkgDir, 'package.json'))) throw new Error('pkg/ is missing: run `make build` first')
  const dest = mkdtempSync(join(tmpdir(), 'novita-pack-'))
  const out = execFileSync('npm', ['pack', pkgDir, '--pack-destination', dest, '--json'], { encoding: 'utf8' })
  tarball = join(dest, JSON.parse(out)[0].filename)
  return tarball
}

/** A fresh project folder with the packed package installed (no registry access needed). */
export function projectWithPackage(type = 'module') {
  const dir = mkdtempSync(join(tmpdir(), 'novita-project-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type }))
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', packedTarball()], { cwd: dir, stdio: 'pipe' })
  return dir
}
