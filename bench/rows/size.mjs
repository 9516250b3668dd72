// Row 1: bytes a browser downloads for `Template` + `defaultBuildLogger`, ours vs
// the official SDK bundled by esbuild; plus the crates that take our wasm bytes.
import { readFileSync, existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { gzipSync, brotliCompressSync, constants } from 'node:zlib'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import * as esbuild from 'esbuild'
import { fmtBytes, ratio } from '../lib/stats.mjs'
import { functionSizes, byCrate, demangle } from '../lib/wasm-names.mjs'

const gzip9 = (b) => gzipSync(b, { level: 9 }).length
const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length

/** esbuild, minified, browser, ESM, Node built-ins external: the bundle's bytes. */
export async function bundle(entrySource, resolveDir, outfile) {
  const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
  await esbuild.build({
    stdin: { contents: entrySource, resolveDir, loader: 'js' },
    bundle: true, minify: true, platform: 'browser', format: 'esm', target: 'es2022',
    external, outfile, logLevel: 'silent',
  })
  return readFileSync(outfile)
}

function sizes(buffers) {
  return {
    raw: buffers.reduce((a, b) => a + b.length, 0),
    gzip: buffers.reduce((a, b) => a + gzip9(b), 0),
    brotli: buffers.reduce((a, b) => a + brotli(b), 0),
  }
}

export async function sizeRows({ pkg, repo, tmp }) {
  const wasm = readFileSync(join(pkg, 'web/novita_template_wasm_bg.wasm'))
  const exportLine = 'export { Template, defaultBuildLogger } from '
  const oursJs = await bundle(`${exportLine}${JSON.stringify(join(pkg, 'web/index.js'))}`, repo, join(tmp, 'ours-bundle.js'))
  const official = await bundle(`${exportLine}'novita-sandbox'`, repo, join(tmp, 'official-bundle.js'))
  const shipped = ['index.js', 'novita_template_wasm.js'].map((f) => readFileSync(join(pkg, 'web', f)))
  const o = sizes([oursJs, wasm])
  const s = sizes([...shipped, wasm])
  const w = sizes([wasm])
  const off = sizes([official])
  const note = `ours: wasm ${fmtBytes(w.raw)} (${fmtBytes(w.gzip)} gz) + JS bundled by esbuild the same way ${fmtBytes(oursJs.length)}; as shipped, unminified: ${fmtBytes(s.raw)} / ${fmtBytes(s.gzip)} gz`
  const rows = [
    { section: '1. Size', metric: 'browser bundle, raw', ours: fmtBytes(o.raw), official: fmtBytes(off.raw), ratio: ratio(o.raw, off.raw, true), limit: '—', note },
    { section: '1. Size', metric: 'browser bundle, gzip -9', ours: fmtBytes(o.gzip), official: fmtBytes(off.gzip), ratio: ratio(o.gzip, off.gzip, true), limit: '—', note: 'each file compressed on its own, sizes summed' },
    { section: '1. Size', metric: 'browser bundle, brotli', ours: fmtBytes(o.brotli), official: fmtBytes(off.brotli), ratio: ratio(o.brotli, off.brotli, true), limit: '—', note: 'brotli quality 11' },
  ]
  let extra
  try {
    extra = crateReport(repo, tmp, wasm.length)
  } catch (e) {
    extra = `(crate breakdown skipped: ${e.message})`
  }
  return { rows, extra, files: { oursBundle: join(tmp, 'ours-bundle.js'), officialBundle: join(tmp, 'official-bundle.js') } }
}

/** Markdown: bytes of function bodies per crate, and the largest functions. */
function crateReport(repo, tmp, shipped) {
  const release = join(repo, 'target/wasm32-unknown-unknown/release/novita_template_wasm.wasm')
  if (!existsSync(release)) return `(no ${release}: crate breakdown skipped)`
  // wasm-bindgen (as build-pkg.sh runs it, minus wasm-opt) keeps the name section and
  // drops its describe functions, which are not shipped; fall back to the raw module.
  const out = join(tmp, 'named')
  const bindgen = spawnSync('wasm-bindgen', ['--target', 'web', '--weak-refs', '--out-dir', out, '--out-name', 'named', release], { stdio: 'ignore' })
  const bound = bindgen.status === 0 && existsSync(join(out, 'named_bg.wasm'))
  const path = bound ? join(out, 'named_bg.wasm') : release
  const what = bound
    ? 'the release build after wasm-bindgen, before `wasm-opt -Oz` (which keeps the names); wasm-opt then shrinks every crate, so the shares are indicative'
    : 'the release build before wasm-bindgen and `wasm-opt -Oz` (wasm-bindgen was not available); it still holds wasm-bindgen\'s describe functions, which are not shipped, so the shares are indicative'
  const m = functionSizes(path)
  if (!m.named) return '(the module has no name section: crate breakdown skipped)'
  const crates = byCrate(m.functions)
  const top = [...m.functions].sort((a, b) => b.size - a.size).slice(0, 12)
  const pct = (n) => `${((100 * n) / m.codeBytes).toFixed(1)} %`
  const lines = [
    `Function-body bytes per crate (${fmtBytes(m.total)} module, code section ${fmtBytes(m.codeBytes)}, ${m.functions.length} functions), read from the name section by \`bench/lib/wasm-names.mjs\` of ${what}. The shipped module after wasm-opt: ${fmtBytes(shipped)}.`,
    '',
    '| crate | bytes | share |', '|---|---:|---:|',
    ...crates.slice(0, 14).map((c) => `| ${c.crate} | ${c.size} | ${pct(c.size)} |`),
    '',
    '| largest functions | bytes |', '|---|---:|',
    ...top.map((f) => `| \`${demangle(f.name).replace(/\|/g, '\\|').slice(0, 110)}\` | ${f.size} |`),
  ]
  return lines.join('\n')
}
