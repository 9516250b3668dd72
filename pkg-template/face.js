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
        const res = await fetch(url, { method, headers, body, signal: ctrl.signal, redirect: 'follow' })
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
      const tagged = promises.map((p, index) => p.then((value) => ({ index, value })))
      if (ms !== undefined) tagged.push(transport.sleep(ms, signal).then(() => ({ index: -1 })))
      else if (signal) tagged.push(transport.sleep(2147483647, signal).then(() => ({ index: -1 })))
      return Promise.race(tagged)
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
