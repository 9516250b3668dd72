// The Node host (the `Host` contract of host.d.ts): the environment, files, stdout,
// the on-demand module and uploads spooled to disk. Wrapped into CommonJS by the
// build script, which passes `loadExtras` (a synchronous require of that module).
/**
 * @param {() => import('./host').Extras} loadExtras
 * @returns {import('./host').Host}
 */
function createHost(loadExtras) {
  'use strict'
  const fs = require('node:fs')
  const os = require('node:os')
  const path = require('node:path')
  const zlib = require('node:zlib')
  const crypto = require('node:crypto')
  const CHUNK = 4 * 1024 * 1024
  /** @type {Buffer | undefined} one read buffer for every file: memory stays flat however large the context */
  let buffer

  /** @type {import('./host').FsHost} The context directory's view the on-demand module walks. */
  const fsHost = {
    listDir(p) {
      try {
        return fs.readdirSync(p).join('\0')
      } catch (e) {
        throw String((e && e.message) || e)
      }
    },
    statPath(p, follow) {
      let s
      try {
        s = follow ? fs.statSync(p) : fs.lstatSync(p)
      } catch (e) {
        if (e && (e.code === 'ENOENT' || e.code === 'ENOTDIR' || e.code === 'ELOOP')) return undefined
        throw String((e && e.message) || e)
      }
      const kind = s.isFile() ? 'file' : s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : 'other'
      return {
        kind,
        mode: s.mode,
        size: s.size,
        uid: s.uid,
        gid: s.gid,
        mtime: Math.floor(s.mtimeMs / 1000),
        linkTarget: kind === 'symlink' ? fs.readlinkSync(p, 'utf8') : undefined,
      }
    },
  }

  return {
    info: {
      kind: 'node',
      version: process.versions.node,
      os: ({ linux: 'Linux', darwin: 'OS X', win32: 'Windows' })[os.platform()] || 'unknown',
    },
    env() {
      /** @type {Record<string, string>} */
      const out = {}
      for (const k of ['NOVITA_API_KEY', 'NOVITA_ACCESS_TOKEN', 'NOVITA_DOMAIN', 'NOVITA_DEBUG', 'NOVITA_API_URL']) {
        if (process.env[k] !== undefined) out[k] = process.env[k]
      }
      return out
    },

    /** The directory of the file that called `Template()`, read from `stack`. */
    callerDir(stack) {
      // Frame 0 is Template() itself; the next frame outside this package is the caller.
      for (const frame of String(stack || '').split('\n').slice(2)) {
        const m = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?\s*$/.exec(frame)
        if (!m || frame.includes('node:internal') || m[1].includes(`${path.sep}novita-template-wasm${path.sep}`)) continue
        const file = m[1].startsWith('file://') ? require('node:url').fileURLToPath(m[1]) : m[1]
        return path.dirname(file)
      }
      return undefined
    },
    isFile(p) {
      try {
        return fs.statSync(p).isFile()
      } catch {
        return false
      }
    },
    readText: (p) => fs.readFileSync(p, 'utf8'),
    resolve: (...parts) => path.resolve(...parts),

    /** The COPY sources of a template whose context is the directory `contextPath`. */
    fileContext(contextPath) {
      const root = path.resolve(contextPath || '.')
      return {
        fs: fsHost,
        async plan(spec) {
          spec.root = root
          const ignore = path.join(root, '.dockerignore')
          if (fsHost.statPath(ignore, true)?.kind === 'file') spec.dockerignore = fs.readFileSync(ignore, 'utf8')
          return root
        },
        /** `size` bytes of `rel`, in chunks of one shared buffer (consumed before the next read). */
        async read(root, rel, size, onChunk) {
          buffer ??= Buffer.allocUnsafe(CHUNK)
          const fd = fs.openSync(path.join(String(root), rel), 'r')
          let at = 0
          try {
            while (at < size) {
              const n = fs.readSync(fd, buffer, 0, Math.min(CHUNK, size - at), null)
              if (n === 0) break
              await onChunk(buffer.subarray(0, n))
              at += n
            }
          } finally {
            fs.closeSync(fd)
          }
          if (at !== size) throw new Error(`${rel} changed while it was read: expected ${size} bytes, read ${at}`)
        },
      }
    },

    /** The on-demand module (loaded at the first call; Node loads it synchronously). */
    extras: () => Promise.resolve(loadExtras()),
    /** Node's native SHA-256 (several times faster than one compiled to wasm). */
    sha256() {
      const h = crypto.createHash('sha256')
      return { update: (b) => h.update(b), updateText: (t) => h.update(t, 'utf8'), hex: () => h.digest('hex') }
    },

    // ---- the archive: gzip into a temporary file, uploaded from disk ----
    // Node's fetch buffers request bodies whole, so uploads go through node:http with
    // an exact Content-Length: memory stays flat however large the context.
    createSpool() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'novita-upload-'))
      const file = path.join(dir, 'context.tar.gz')
      const out = fs.createWriteStream(file)
      const gzip = zlib.createGzip({ level: zlib.constants.Z_BEST_SPEED })
      gzip.pipe(out)
      const closed = new Promise((resolve, reject) => {
        out.on('close', () => resolve(undefined))
        out.on('error', reject)
        gzip.on('error', reject)
      })
      return {
        // Copied: the caller's chunk (the shared read buffer) is reused at once.
        write: (chunk) => (gzip.write(Buffer.from(chunk)) ? undefined : new Promise((r) => gzip.once('drain', () => r(undefined)))),
        async finish() {
          gzip.end()
          await closed
          return { path: file, size: fs.statSync(file).size }
        },
        discard() {
          gzip.destroy()
          out.destroy()
          fs.rmSync(dir, { recursive: true, force: true })
        },
      }
    },
    /** PUT the spooled archive; resolves with a reply as `send` gives it (never rejects). */
    uploadSpool(url, spooled, timeoutMs, signal) {
      const file = String(spooled.path)
      const target = new URL(url)
      const lib = target.protocol === 'https:' ? require('node:https') : require('node:http')
      const failed = (kind, why) => ({ kind, status: 0, statusText: why, headers: '', body: new Uint8Array(0) })
      return new Promise((resolve) => {
        let settled = false
        const done = (reply) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          if (signal) signal.removeEventListener('abort', onAbort)
          fs.rmSync(path.dirname(file), { recursive: true, force: true })
          resolve(reply)
        }
        const req = lib.request(target, { method: 'PUT', headers: { 'content-length': String(spooled.size) } }, (res) => {
          const chunks = []
          res.on('data', (c) => chunks.push(c))
          res.on('end', () => {
            let lines = ''
            for (const [k, v] of Object.entries(res.headers)) lines += `${k}\n${v}\n`
            done({ kind: 0, status: res.statusCode, statusText: res.statusMessage || '', headers: lines, body: new Uint8Array(Buffer.concat(chunks)) })
          })
          res.on('error', (e) => done(failed(1, String(e.message || e))))
        })
        const timer = timeoutMs > 0 ? setTimeout(() => { req.destroy(); done(failed(2, 'upload timed out')) }, timeoutMs) : undefined
        const onAbort = () => { req.destroy(); done(failed(3, 'upload aborted')) }
        if (signal) {
          if (signal.aborted) return onAbort()
          signal.addEventListener('abort', onAbort, { once: true })
        }
        req.on('error', (/** @type {NodeJS.ErrnoException} */ e) => done(failed(1, String(e.message || e) + (e.code ? ` (${e.code})` : ''))))
        fs.createReadStream(file).on('error', (e) => { req.destroy(); done(failed(4, String(e.message || e))) }).pipe(req)
      })
    },

    stdoutIsTTY: () => Boolean(process.stdout && process.stdout.isTTY),
    writeStdout: (text) => process.stdout.write(text),
  }
}
