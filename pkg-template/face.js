// The package's thin JavaScript face, shared by the browser and Node entries.
// The build script wraps this file: the browser entry as an ES module, the Node
// entry as CommonJS. It must not use `import`/`export`; it receives the wasm-bindgen
// module as `wasm` and returns the public API.
//
// Only what JavaScript must own lives here: the error classes (so `instanceof`
// works), the log-entry classes, and `Template()` being callable without `new`.
function createFace(wasm, host) {
  'use strict'

  // ---- errors (names and parents as in novita-sandbox, protocol §7) ----
  function defineError(name, Parent) {
    const Cls = class extends Parent {
      constructor(message, stackTrace) {
        super(message)
        Object.defineProperty(this, 'name', { value: name, configurable: true, writable: true })
        if (typeof stackTrace === 'string') this.stack = stackTrace
      }
    }
    Object.defineProperty(Cls, 'name', { value: name })
    return Cls
  }
  const SandboxError = defineError('SandboxError', Error)
  const TemplateError = defineError('TemplateError', SandboxError)
  const BuildError = defineError('BuildError', Error)
  const FileUploadError = defineError('FileUploadError', BuildError)
  const AuthenticationError = defineError('AuthenticationError', Error)
  const RateLimitError = defineError('RateLimitError', SandboxError)
  const NotFoundError = defineError('NotFoundError', SandboxError)
  const TimeoutError = defineError('TimeoutError', SandboxError)
  const InvalidArgumentError = defineError('InvalidArgumentError', SandboxError)
  // Cancellation through an AbortSignal: named like the platform's own abort errors.
  const AbortError = defineError('AbortError', SandboxError)

  // ---- log entries (protocol §1.6) ----
  class LogEntry {
    constructor(timestamp, level, message) {
      this.timestamp = timestamp
      this.level = level
      this.message = message
    }
    toString() {
      return `[${this.timestamp.toISOString()}] [${this.level}] ${wasm.stripAnsi(String(this.message))}`
    }
    toJSON() {
      return { timestamp: this.timestamp.toISOString(), level: this.level, message: this.message }
    }
  }
  class LogEntryStart extends LogEntry {
    constructor(timestamp, message) {
      super(timestamp, 'debug', message)
    }
  }
  class LogEntryEnd extends LogEntry {
    constructor(timestamp, message) {
      super(timestamp, 'debug', message)
    }
  }

  // ---- transport: fetch with a per-request timeout, cancellation and a reply cap ----
  // The same code path in Node (global fetch) and browsers. Never throws: failures
  // come back as `{ ok: false, kind: 'network' | 'timeout' | 'aborted', message }`
  // so the Rust flow decides about retries.
  const MAX_REPLY_BYTES = 32 * 1024 * 1024
  const transport = {
    async fetch(method, url, headers, body, timeoutMs, signal) {
      const ctrl = new AbortController()
      let timedOut = false
      const timer = timeoutMs > 0 ? setTimeout(() => { timedOut = true; ctrl.abort() }, timeoutMs) : undefined
      const onAbort = () => ctrl.abort()
      if (signal) {
        if (signal.aborted) ctrl.abort()
        else signal.addEventListener('abort', onAbort, { once: true })
      }
      try {
        let res = await fetch(url, { method, headers, body, signal: ctrl.signal, redirect: 'manual' })
        // Redirects are followed only within the same origin: the API key must not
        // travel to another host. (Browsers hide the target of a manual redirect.)
        for (let hops = 0; res.status >= 300 && res.status < 400 && res.headers.get('location') && hops < 5; hops++) {
          const next = new URL(res.headers.get('location'), url)
          if (next.origin !== new URL(url).origin) {
            // Reported as the 3xx reply it is (an error, not retried), saying why.
            await res.body?.cancel()
            const why = `redirect to another origin (${next.origin}) not followed, so the credentials stay with ${new URL(url).origin}`
            return { ok: true, status: res.status, statusText: why, headers: [], body: new Uint8Array(0) }
          }
          const keep = res.status === 307 || res.status === 308
          url = next.href
          res = await fetch(url, { method: keep ? method : 'GET', headers, body: keep ? body : undefined, signal: ctrl.signal, redirect: 'manual' })
        }
        if (res.type === 'opaqueredirect') {
          return { ok: false, kind: 'redirect', message: `the server answered ${method} with a redirect, which is not followed` }
        }
        const chunks = []
        let size = 0
        if (res.body) {
          const reader = res.body.getReader()
          for (;;) {
            const { done, value } = await reader.read()
            if (done) break
            size += value.byteLength
            if (size > MAX_REPLY_BYTES) {
              await reader.cancel()
              return { ok: false, kind: 'network', message: `reply from ${method} ${url} exceeds ${MAX_REPLY_BYTES} bytes` }
            }
            chunks.push(value)
          }
        }
        const bytes = new Uint8Array(size)
        let at = 0
        for (const c of chunks) { bytes.set(c, at); at += c.byteLength }
        return { ok: true, status: res.status, statusText: res.statusText, headers: Array.from(res.headers), body: bytes }
      } catch (e) {
        const kind = signal && signal.aborted ? 'aborted' : timedOut ? 'timeout' : 'network'
        const cause = e && e.cause && e.cause.code ? ` (${e.cause.code})` : ''
        return { ok: false, kind, message: String((e && e.message) || e) + cause }
      } finally {
        clearTimeout(timer)
        if (signal) signal.removeEventListener('abort', onAbort)
      }
    },
    /** Resolves `true` after `ms`, or `false` as soon as `signal` aborts. */
    sleep(ms, signal) {
      return new Promise((resolve) => {
        if (signal && signal.aborted) return resolve(false)
        const onAbort = () => { clearTimeout(timer); resolve(false) }
        const timer = setTimeout(() => {
          if (signal) signal.removeEventListener('abort', onAbort)
          resolve(true)
        }, ms)
        if (signal) signal.addEventListener('abort', onAbort, { once: true })
      })
    },
    now: () => Date.now(),
    /** `[[relativePath, File], …]` of a FileSystemDirectoryHandle, recursively. */
    async listDirectoryHandle(handle, prefix = '') {
      const out = []
      for await (const [name, entry] of handle.entries()) {
        const path = prefix ? `${prefix}/${name}` : name
        if (entry.kind === 'directory') out.push(...(await transport.listDirectoryHandle(entry, path)))
        else out.push([path, await entry.getFile()])
      }
      return out
    },
    /** Bytes `[offset, offset + length)` of a Blob or File, as a Uint8Array. */
    async readBlob(blob, offset, length) {
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer())
    },
    /**
     * Waits for the first of `promises` (each resolving, never rejecting), or for
     * `ms` to pass (when given), or for `signal` to abort: `{ index, value }`,
     * with `index` -1 for the time-out or the abort.
     */
    race(promises, ms, signal) {
      // Cleans up its timer and abort listener as soon as it settles: a pending
      // timer or listener would keep Node alive after the build.
      return new Promise((resolve) => {
        let settled = false
        let timer
        const finish = (result) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          if (signal) signal.removeEventListener('abort', onAbort)
          resolve(result)
        }
        const onAbort = () => finish({ index: -1 })
        promises.forEach((p, index) => p.then((value) => finish({ index, value })))
        if (ms !== undefined) timer = setTimeout(() => finish({ index: -1 }), ms)
        if (signal) {
          if (signal.aborted) onAbort()
          else signal.addEventListener('abort', onAbort, { once: true })
        }
      })
    },
  }

  host.transport = transport

  const classes = {
    SandboxError, TemplateError, BuildError, FileUploadError, AuthenticationError,
    RateLimitError, NotFoundError, TimeoutError, InvalidArgumentError, AbortError,
    LogEntry, LogEntryStart, LogEntryEnd,
  }
  wasm.__registerClasses(Object.assign({}, classes, { host, transport }))

  // ---- Template(): callable without `new`; statics come from TemplateBase ----
  const TemplateBase = wasm.TemplateBase
  function Template(options) {
    // As in novita-sandbox, `copy()` sources default to the caller's directory (Node).
    if (host.callerDir && (options === undefined || (options && options.fileContextPath === undefined))) {
      const dir = host.callerDir(new Error().stack)
      if (dir) options = Object.assign({}, options, { fileContextPath: dir })
    }
    return new TemplateBase(options)
  }
  Object.setPrototypeOf(Template, TemplateBase)
  Template.prototype = TemplateBase.prototype

  // The statics that take a template check it here, so a wrong first argument is an
  // InvalidArgumentError rather than wasm-bindgen's plain "expected instance" Error.
  const describe = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v)
  for (const name of ['build', 'buildInBackground', 'toJSON', 'toDockerfile']) {
    const original = TemplateBase[name]
    Object.defineProperty(TemplateBase, name, {
      configurable: true,
      writable: true,
      value: function (template, ...rest) {
        if (!(template instanceof TemplateBase)) {
          const e = new InvalidArgumentError(`Template.${name}: the first argument must be a template made with Template(), got ${describe(template)}`)
          if (name === 'toDockerfile') throw e
          return Promise.reject(e)
        }
        return original.call(this, template, ...rest)
      },
    })
  }

  // A static and a method cannot share a name in wasm-bindgen's output.
  Object.defineProperty(wasm.Sandbox, 'kill', {
    value: function kill(sandboxId, options) { return wasm.__killSandbox(sandboxId, options) },
    configurable: true,
    writable: true,
  })

  const api = Object.assign({}, classes, { Template, TemplateBase })
  for (const name of Object.keys(wasm)) {
    if (!name.startsWith('__') && !(name in api) && name !== 'default' && name !== 'initSync') {
      api[name] = wasm[name]
    }
  }
  return api
}
