// Prints the browser build's size (the .wasm plus the JS a browser loads), raw,
// gzip -9 and brotli, the way loro posts it on every build.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync, brotliCompressSync, constants } from 'node:zlib'

const dir = join(process.argv[2] || 'pkg', 'web')
const files = readdirSync(dir).filter((f) => f.endsWith('.wasm') || f.endsWith('.js'))
let total = { raw: 0, gzip: 0, brotli: 0 }
const rows = []
for (const f of files.sort()) {
  const bytes = readFileSync(join(dir, f))
  const gz = gzipSync(bytes, { level: 9 }).length
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
  rows.push([f, bytes.length, gz, br])
  total.raw += bytes.length
  total.gzip += gz
  total.brotli += br
}
rows.push(['total (browser load)', total.raw, total.gzip, total.brotli])
console.log('size report (pkg/web): file | raw | gzip -9 | brotli')
for (const [f, r, g, b] of rows) console.log(`  ${f.padEnd(32)} ${String(r).padStart(9)} ${String(g).padStart(9)} ${String(b).padStart(9)}`)
