// Generates a build context of mixed file sizes: `files` files totalling `bytes`,
// half of the bytes random (incompressible), half repetitive text, spread over a
// two-level directory tree. Sizes are log-uniform (a few large files, many small
// ones), drawn from a fixed seed so that every run writes the same shape.
import { mkdirSync, openSync, writeSync, closeSync } from 'node:fs'
import { randomFillSync } from 'node:crypto'
import { join } from 'node:path'

function rng(seed) {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13; s >>>= 0
    s ^= s >>> 17
    s ^= s << 5; s >>>= 0
    return s / 4294967296
  }
}

const TEXT = (() => {
  const words = 'import export const function return await async template build layer copy sandbox novita wasm rust node browser archive hash upload poll status'.split(' ')
  const r = rng(7)
  let s = ''
  while (s.length < 1 << 16) s += words[Math.floor(r() * words.length)] + (r() < 0.1 ? '\n' : ' ')
  return Buffer.from(s.slice(0, 1 << 16))
})()

/** Writes the context under `dir`; returns `{ dir, files, bytes }` (bytes of file contents). */
export function generateContext(dir, { files, bytes, seed = 1 }) {
  const r = rng(seed)
  const raw = Array.from({ length: files }, () => Math.exp(Math.log(1024) + r() * (Math.log(4 << 20) - Math.log(1024))))
  const sum = raw.reduce((a, b) => a + b, 0)
  const sizes = raw.map((x) => Math.max(1, Math.floor((x / sum) * bytes)))
  sizes[0] += bytes - sizes.reduce((a, b) => a + b, 0)
  // Random bytes for files in alternating order of size, so each kind gets about half.
  const order = sizes.map((s, i) => [s, i]).sort((a, b) => b[0] - a[0])
  const random = new Set(order.filter((_, k) => k % 2 === 0).map(([, i]) => i))
  const chunk = Buffer.alloc(1 << 20)
  let total = 0
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `d${String(i % 20).padStart(2, '0')}`, `s${i % 5}`)
    mkdirSync(sub, { recursive: true })
    const fd = openSync(join(sub, `f${i}.${random.has(i) ? 'bin' : 'txt'}`), 'w')
    try {
      let left = sizes[i]
      while (left > 0) {
        const n = Math.min(left, chunk.length)
        if (random.has(i)) randomFillSync(chunk, 0, n)
        else for (let at = 0; at < n; at += TEXT.length) TEXT.copy(chunk, at, 0, Math.min(TEXT.length, n - at))
        writeSync(fd, chunk, 0, n)
        left -= n
      }
    } finally {
      closeSync(fd)
    }
    total += sizes[i]
  }
  return { dir, files, bytes: total }
}
