// The Node host: the few things only Node can do (environment, files, stdout),
// behind the same small interface as the browser host. Wrapped into CommonJS by
// the build script; `require` is Node's.
function createHost() {
  'use strict'
  const fs = require('node:fs')
  const os = require('node:os')
  const path = require('node:path')
  const zlib = require('node:zlib')
  return {
    kind: 'node',
    nodeVersion: process.versions.node,
    osName: ({ linux: 'Linux', darwin: 'OS X', win32: 'Windows' })[os.platform()] || 'unknown',
    env(name) {
      const v = process.env[name]
      return v === undefined ? undefined : v
    },
    cwd: () => process.cwd(),
    /** The directory of the file that called `Template()`, from a stack trace. */
    callerDir(stack) {
      const frames = String(stack || '').split('\n').slice(1)
      // frames[0] is Template() itself; the next frame outside this package is the caller.
      for (const frame of frames.slice(1)) {
        const m = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?\s*$/.exec(frame)
        if (!m || frame.includes('node:internal')) continue
        let file = m[1]
        if (file.startsWith('file://')) file = require('node:url').fileURLToPath(file)
        return require('node:path').dirname(file)
      }
      return undefined
    },
    isFile(path) {
      try {
        return fs.statSync(path).isFile()
      } catch {
        return false
      }
    },
    readText: (path) => fs.readFileSync(path, 'utf8'),
    stdoutIsTTY: () => Boolean(process.stdout && process.stdout.isTTY),

    // ---- files for copy(): synchronous metadata, chunked reads ----
    resolvePath: (p) => path.resolve(p),
    listDir: (p) => fs.readdirSync(p),
    /** lstat (or stat when `follow`) as plain data, or null when absent. */
    statPath(p, follow) {
      let s
      try {
        s = follow ? fs.statSync(p) : fs.lstatSync(p)
      } catch (e) {
        if (e && (e.code === 'ENOENT' || e.code === 'ENOTDIR' || e.code === 'ELOOP')) return null
        throw e
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
    /** Node's native SHA-256 (several times faster than SHA-256 compiled to wasm). */
    createSha256() {
      const h = require('node:crypto').createHash('sha256')
      return { update: (bytes) => { h.update(bytes) }, digest: () => new Uint8Array(h.digest()) }
    },
    openRead: (p) => fs.openSync(p, 'r'),
    readInto: (fd, buf) => fs.readSync(fd, buf, 0, buf.length, null),
    closeFile: (fd) => fs.closeSync(fd),

    // ---- the archive: gzip into a temporary file, uploaded from disk ----
    // Node's fetch buffers request bodies whole, so uploads go through node:http
    // with an exact Content-Length: memory stays flat however large the context.
    createSpool() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'novita-upload-'))
      const file = path.join(dir, 'context.tar.gz')
      const out = fs.createWriteStream(file)
      const gzip = zlib.createGzip({ level: zlib.constants.Z_BEST_SPEED })
      gzip.pipe(out)
      const closed = new Promise((resolve, reject) => {
        out.on('close', resolve)
        out.on('error', reject)
        gzip.on('error', reject)
      })
      return {
        write: (chunk) => (gzip.write(Buffer.from(chunk)) ? undefined : new Promise((r) => gzip.once('drain', r))),
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
    /** PUT the spooled archive with its exact Content-Length; resolves like transport.fetch. */
    uploadSpool(url, spooled, timeoutMs, signal) {
      const target = new URL(url)
      const lib = target.protocol === 'https:' ? require('node:https') : require('node:http')
      const cleanup = () => fs.rmSync(path.dirname(spooled.path), { recursive: true, force: true })
      return new Promise((resolve) => {
        let settled = false
        const done = (v) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          if (signal) signal.removeEventListener('abort', onAbort)
          cleanup()
          resolve(v)
        }
        const req = lib.request(target, { method: 'PUT', headers: { 'content-length': String(spooled.size) } }, (res) => {
          const chunks = []
          res.on('data', (c) => chunks.push(c))
          res.on('end', () => done({ ok: true, status: res.statusCode, statusText: res.statusMessage || '', headers: Object.entries(res.headers).map(([k, v]) => [k, String(v)]), body: new Uint8Array(Buffer.concat(chunks)) }))
          res.on('error', (e) => done({ ok: false, kind: 'network', message: String(e.message || e) }))
        })
        const timer = timeoutMs > 0 ? setTimeout(() => { req.destroy(); done({ ok: false, kind: 'timeout', message: 'upload timed out' }) }, timeoutMs) : undefined
        const onAbort = () => { req.destroy(); done({ ok: false, kind: 'aborted', message: 'upload aborted' }) }
        if (signal) {
          if (signal.aborted) return onAbort()
          signal.addEventListener('abort', onAbort, { once: true })
        }
        req.on('error', (e) => done({ ok: false, kind: 'network', message: String(e.message || e) }))
        fs.createReadStream(spooled.path).on('error', (e) => { req.destroy(); done({ ok: false, kind: 'network', message: String(e.message || e) }) }).pipe(req)
      })
    },
    writeStdout: (text) => process.stdout.write(text),
  }
}
