// Which crates and functions take the bytes of a wasm module: reads the code section
// (size of each function body) and the "name" custom section (function names) of a
// module that still has its names — the release build before wasm-bindgen and
// wasm-opt (or the module wasm-bindgen made of it, which keeps the names but drops
// its describe functions). Chosen over installing twiggy (a multi-minute cargo install on 2 cores):
// for "bytes per function, grouped by crate" it gives the same shallow sizes.
import { readFileSync } from 'node:fs'

function reader(buf) {
  let at = 0
  const r = {
    get at() { return at },
    set at(v) { at = v },
    byte: () => buf[at++],
    u32() {
      let result = 0, shift = 0, b
      do { b = buf[at++]; result += (b & 0x7f) * 2 ** shift; shift += 7 } while (b & 0x80)
      return result
    },
    bytes(n) { const s = buf.subarray(at, at + n); at += n; return s },
    name() { return r.bytes(r.u32()).toString('utf8') },
  }
  return r
}

function skipImportDesc(r, kind) {
  if (kind === 0) r.u32()
  else if (kind === 1) { r.byte(); limits(r) }
  else if (kind === 2) limits(r)
  else if (kind === 3) { r.byte(); r.byte() }
  else if (kind === 4) { r.byte(); r.u32() }
  else throw new Error(`unknown import kind ${kind}`)
}
function limits(r) {
  const flags = r.byte()
  r.u32()
  if (flags & 1) r.u32()
}

/** `{ total, codeBytes, functions: [{ name, size }] }` of the module at `path`. */
export function functionSizes(path) {
  const buf = readFileSync(path)
  const r = reader(buf)
  r.at = 8
  let imported = 0
  const bodies = []
  const names = new Map()
  let codeBytes = 0
  while (r.at < buf.length) {
    const id = r.byte()
    const size = r.u32()
    const end = r.at + size
    if (id === 2) {
      const n = r.u32()
      for (let i = 0; i < n; i++) {
        r.name(); r.name()
        const kind = r.byte()
        if (kind === 0) imported++
        skipImportDesc(r, kind)
      }
    } else if (id === 10) {
      codeBytes = size
      const n = r.u32()
      for (let i = 0; i < n; i++) {
        const len = r.u32()
        bodies.push(len)
        r.at += len
      }
    } else if (id === 0) {
      const name = r.name()
      if (name === 'name') {
        while (r.at < end) {
          const sub = r.byte()
          const len = r.u32()
          const subEnd = r.at + len
          if (sub === 1) {
            const n = r.u32()
            for (let i = 0; i < n; i++) {
              const idx = r.u32()
              names.set(idx, r.name())
            }
          }
          r.at = subEnd
        }
      }
    }
    r.at = end
  }
  const functions = bodies.map((size, i) => ({ name: names.get(imported + i) || `func[${imported + i}]`, size }))
  return { total: buf.length, codeBytes, named: names.size > 0, functions }
}

/** Demangles a legacy Rust symbol (`_ZN…E`) into `a::b::c`; other names unchanged. */
export function demangle(sym) {
  if (/^_R/.test(sym)) return demangleV0(sym)
  // Already demangled (wasm-bindgen's output): drop crate disambiguators and hashes.
  if (!/^_?_ZN/.test(sym)) return sym.replace(/\[[0-9a-f]{8,}\]/g, '').replace(/::h[0-9a-f]{16}$/, '')
  const m = /^_?_ZN(.*)E$/.exec(sym)
  if (!m) return sym
  const s = m[1]
  const parts = []
  let at = 0
  while (at < s.length) {
    const d = /^\d+/.exec(s.slice(at))
    if (!d) break
    at += d[0].length
    parts.push(s.slice(at, at + Number(d[0])))
    at += Number(d[0])
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop()
  return parts.join('::')
    .replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ').replace(/\$RF\$/g, '&')
    .replace(/\$C\$/g, ',').replace(/\$BP\$/g, '*').replace(/\$u7b\$/g, '{').replace(/\$u7d\$/g, '}')
    .replace(/\$u5b\$/g, '[').replace(/\$u5d\$/g, ']').replace(/\$u27\$/g, "'").replace(/\.\./g, '::')
}

/** Rough reading of a v0 symbol (`_R…`, how the precompiled std is mangled): its crate and last identifier. */
function demangleV0(sym) {
  // Drop disambiguators (`s<base62>_`), whose digits would read as identifier lengths.
  sym = sym.replace(/([CMNvtmXYI])s[0-9A-Za-z]*?_(?=[0-9A-Za-z])/g, '$1')
  const idents = []
  for (let at = 2; at < sym.length; at++) {
    const d = /^\d+/.exec(sym.slice(at))
    if (!d || !/[A-Za-z_]/.test(sym[at - 1])) continue
    const n = Number(d[0])
    const id = sym.slice(at + d[0].length, at + d[0].length + n)
    if (n > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(id)) {
      idents.push({ id, crate: sym[at - 1] === 'C' })
      at += d[0].length + n - 1
    }
  }
  const crate = idents.find((x) => x.crate)?.id || '(other)'
  const rest = idents.filter((x) => !x.crate).map((x) => x.id)
  return `${crate}::${rest.join('::')}`
}

/** The crate a demangled name belongs to: the first path segment (of the implementing type for `<T as Trait>`). */
const PRIMITIVE = /^(str|char|bool|f32|f64|[iu](8|16|32|64|128|size)|\[|&|\*|\(|dyn )/

export function crateOf(name) {
  let s = name.replace(/^_</, '<')
  // `<primitive as crate::Trait>::f` belongs to the trait's crate; `<str>::f` to core/alloc.
  const prim = /^<([^<>]*?)(?: as ([A-Za-z_][A-Za-z0-9_]*)::[^>]*)?>::/.exec(s)
  if (prim && PRIMITIVE.test(prim[1])) return prim[2] || 'core/alloc (methods of primitive types)'

  while (s.startsWith('<') || s.startsWith('&') || s.startsWith('*') || s.startsWith('[')) s = s.replace(/^[<&*[]\s*(mut |const |dyn )?/, '')
  const m = /^([A-Za-z_][A-Za-z0-9_]*)::/.exec(s)
  if (m) return m[1]
  if (/^(wasm-bindgen|__wbindgen|__wbg)/.test(s)) return 'wasm_bindgen'
  if (/^(memcpy|memset|memmove|memcmp|__rust|__rdl|__rg|rust_)/.test(s)) return 'std (runtime)'
  if (!s.includes('::')) return '(exported entry points and glue shims)'
  return '(other)'
}

export function byCrate(functions) {
  const sums = new Map()
  for (const f of functions) {
    const c = crateOf(demangle(f.name))
    sums.set(c, (sums.get(c) || 0) + f.size)
  }
  return [...sums].map(([crate, size]) => ({ crate, size })).sort((a, b) => b.size - a.size)
}
