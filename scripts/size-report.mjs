// The browser build's bytes as shipped (raw, gzip -9, brotli), per file and for what
// a page loads: the first load (default entry, face, core glue and module) and the
// on-demand part (its loader, glue and module). Each module's gzip size is compared
// with its ceiling in size-budget.json (next to this file); `--check` fails on one
// over it (tests/js/size-budget.test.mjs runs that). Bench row 1 measures the same
// bundled by esbuild, beside the official SDK.
import { readFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync, brotliCompressSync, constants } from 'node:zlib'

export const budget = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'size-budget.json'), 'utf8'))

const gzip9 = (b) => gzipSync(b, { level: 9 }).length
const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length

/** `{ files: {name: {raw, gzip, brotli}}, groups: {...}, over: [...] }` for pkg/web. */
export function sizeReport(pkg = 'pkg') {
  const dir = join(pkg, 'web')
  const measure = (f) => {
    const b = readFileSync(join(dir, f))
    return { raw: b.length, gzip: gzip9(b), brotli: brotli(b) }
  }
  const groups = {
    'first load': ['index.js', 'face.js', 'core.js', 'core_bg.wasm'],
    'on first use': ['extras-load.js', 'extras.js', 'extras_bg.wasm'],
  }
  const files = {}
  for (const f of Object.values(groups).flat()) files[f] = measure(f)
  const sum = (names) => names.reduce((t, f) => ({ raw: t.raw + files[f].raw, gzip: t.gzip + files[f].gzip, brotli: t.brotli + files[f].brotli }), { raw: 0, gzip: 0, brotli: 0 })
  const totals = Object.fromEntries(Object.entries(groups).map(([g, names]) => [g, sum(names)]))
  totals.whole = sum(Object.values(groups).flat())
  const over = Object.entries(budget.gzipCeilings)
    .filter(([f, max]) => files[f].gzip > max)
    .map(([f, max]) => `${f}: ${files[f].gzip} bytes gzip -9 > ceiling ${max}`)
  return { files, totals, over }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const pkg = process.argv.slice(2).find((a) => !a.startsWith('--')) || 'pkg'
  const { files, totals, over } = sizeReport(pkg)
  const row = (name, s, note = '') => `  ${name.padEnd(22)} ${String(s.raw).padStart(9)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}${note}`
  console.log(`size report (${pkg}/web, as shipped, unminified): file | raw | gzip -9 | brotli`)
  for (const [f, s] of Object.entries(files)) {
    const max = budget.gzipCeilings[f]
    console.log(row(f, s, max ? `   (ceiling ${max} gz)` : ''))
  }
  for (const [g, s] of Object.entries(totals)) console.log(row(g, s))
  if (over.length) {
    console.log(`over budget (scripts/size-budget.json):\n  ${over.join('\n  ')}`)
    if (process.argv.includes('--check')) process.exit(1)
  }
}
