// Row 1: bytes a browser downloads, ours vs the official SDK bundled by esbuild the
// same way: the first load for `Template` + `defaultBuildLogger` (the on-demand module
// split off, as a console's bundler splits dynamic imports), and the whole package
// (everything a page could ever load); plus the crates that take our core's bytes.
import { readFileSync, existsSync, rmSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { gzipSync, brotliCompressSync, constants } from 'node:zlib'
import { builtinModules } from 'node:module'
import { join, resolve } from 'node:path'
import * as esbuild from 'esbuild'
import { fmtBytes, ratio } from '../lib/stats.mjs'
import { functionSizes, byCrate, demangle } from '../lib/wasm-names.mjs'

const gzip9 = (b) => gzipSync(b, { level: 9 }).length
const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length

const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

/** esbuild, minified, browser, ESM, Node built-ins external: the bundle's bytes. */
export async function bundle(entrySource, resolveDir, outfile) {
  await esbuild.build({
    stdin: { contents: entrySource, resolveDir, loader: 'js' },
    bundle: true, minify: true, platform: 'browser', format: 'esm', target: 'es2022',
    external, outfile, logLevel: 'silent',
  })
  return readFileSync(outfile)
}

/**
 * esbuild with code splitting (as a console's bundler splits dynamic imports):
 * `{ first, later }`, the files the entry loads at once (the entry and the chunks it
 * imports statically) and those it loads on demand, by path.
 */
async function splitBundle(entrySource, resolveDir, outdir) {
  rmSync(outdir, { recursive: true, force: true })
  const r = await esbuild.build({
    stdin: { contents: entrySource, resolveDir, loader: 'js', sourcefile: 'entry.js' },
    bundle: true, minify: true, splitting: true, platform: 'browser', format: 'esm', target: 'es2022',
    external, outdir, logLevel: 'silent', metafile: true, entryNames: 'entry',
  })
  const outputs = r.metafile.outputs
  const entry = Object.keys(outputs).find((o) => outputs[o].entryPoint)
  const first = new Set()
  const visit = (o) => {
    if (first.has(o)) return
    first.add(o)
    for (const i of outputs[o].imports) if (i.kind === 'import-statement') visit(i.path)
  }
  visit(entry)
  const later = Object.keys(outputs).filter((o) => !first.has(o) && o.endsWith('.js'))
  return { first: [...first].map((o) => resolve(resolveDir, o)), later: later.map((o) => resolve(resolveDir, o)) }
}

function sizes(buffers) {
  return {
    raw: buffers.reduce((a, b) => a + b.length, 0),
    gzip: buffers.reduce((a, b) => a + gzip9(b), 0),
    brotli: buffers.reduce((a, b) => a + brotli(b), 0),
  }
}

export async function sizeRows({ pkg, repo, tmp }) {
  const read = (f) => readFileSync(f)
  const coreWasm = read(join(pkg, 'web/core_bg.wasm'))
  const extrasWasm = read(join(pkg, 'web/extras_bg.wasm'))
  const exportLine = 'export { Template, defaultBuildLogger } from '
  // Ours: the default browser entry, split as a console's bundler would.
  const ours = await splitBundle(`${exportLine}${JSON.stringify(join(pkg, 'web/index.js'))}`, repo, join(tmp, 'ours-split'))
  const first = sizes([...ours.first.map(read), coreWasm])
  const whole = sizes([...ours.first.map(read), ...ours.later.map(read), coreWasm, extrasWasm])
  // The official: the same names, and everything it exports (all a page could load).
  const official = sizes([await bundle(`${exportLine}'novita-sandbox'`, repo, join(tmp, 'official-bundle.js'))])
  const officialAll = sizes([await bundle("export * from 'novita-sandbox'", repo, join(tmp, 'official-all.js'))])
  const js = sizes(ours.first.map(read))
  const core = sizes([coreWasm])
  const extras = sizes([extrasWasm])
  const laterJs = sizes(ours.later.map(read))
  const row = (metric, o, off, note) => ({ section: '1. Size', metric, ours: fmtBytes(o), official: fmtBytes(off), ratio: ratio(o, off, true), limit: '—', note })
  const rows = [
    row('first load, gzip -9', first.gzip, official.gzip, `{ Template, defaultBuildLogger }: core wasm ${fmtBytes(core.gzip)} + JS ${fmtBytes(js.gzip)} (esbuild --minify --splitting, ${ours.first.length} file(s)); issue 11: ≤ 1.0× required, ≤ 0.7× the aim`),
    row('first load, brotli', first.brotli, official.brotli, 'brotli quality 11'),
    row('first load, raw', first.raw, official.raw, 'each file compressed on its own, sizes summed'),
    row('whole package, gzip -9', whole.gzip, officialAll.gzip, `first load + on-demand module ${fmtBytes(extras.gzip)} + its JS ${fmtBytes(laterJs.gzip)}; official: \`export * from 'novita-sandbox'\` (its { Template, defaultBuildLogger } alone: ${fmtBytes(official.gzip)}); ≤ 1.5× required, ≤ 1.0× the aim`),
    row('whole package, brotli', whole.brotli, officialAll.brotli, 'brotli quality 11'),
  ]
  let extra
  try {
    extra = crateReport(repo, tmp, coreWasm.length)
  } catch (e) {
    extra = `(crate breakdown skipped: ${e.message})`
  }
  return { rows, extra, files: { officialBundle: join(tmp, 'official-bundle.js') } }
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
