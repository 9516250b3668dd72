// ---- errors and log entries: what JavaScript owns of the public API ----
// The error classes are real Error subclasses (so `instanceof` and `name` work as with
// novita-sandbox's). The core names a class by its index in this table, which follows
// the Rust `ErrorClass::ALL` (the package tests check both agree).
const ERROR_CLASSES = [
  // [name, index of the parent class, or -1 for Error]
  ['Error', -1], ['SandboxError', -1], ['TemplateError', 1], ['BuildError', -1],
  ['FileUploadError', 3], ['AuthenticationError', -1], ['RateLimitError', 1],
  ['NotFoundError', 1], ['TimeoutError', 1], ['InvalidArgumentError', 1], ['AbortError', 1],
  ['NetworkError', 1], ['TemplateBuildTimeoutError', 3],
]
const classes = []
for (const [name, parent] of ERROR_CLASSES) {
  if (name === 'Error') { classes.push(Error); continue }
  const Parent = parent < 0 ? Error : classes[parent]
  const Cls = class extends Parent {
    constructor(message, stackTrace) {
      super(message)
      Object.defineProperty(this, 'name', { value: name, configurable: true, writable: true })
      if (typeof stackTrace === 'string') this.stack = stackTrace
    }
  }
  Object.defineProperty(Cls, 'name', { value: name })
  classes.push(Cls)
}
const errors = {}
for (const C of classes.slice(1)) errors[C.name] = C
// novita-sandbox's other build errors, exported for code that names them.
for (const name of ['InvalidImageReferenceError', 'RegistryAuthenticationError', 'ImageConfigError', 'SandboxCreateError']) {
  const Cls = class extends errors.BuildError {
    constructor(message, stackTrace) { super(message, stackTrace); this.name = name }
  }
  Object.defineProperty(Cls, 'name', { value: name })
  errors[name] = Cls
}

/** An error the core described (`{class, message, …facts}`), as its class. */
function toError(e) {
  const err = new classes[e.class](e.message)
  for (const k in e) if (k !== 'class' && k !== 'message') err[k] = e[k]
  return err
}

/** What a core export threw: its error JSON (a string), or a trap, as it is. */
function fail(x) {
  return typeof x === 'string' ? toError(JSON.parse(x)) : x
}

/** Runs a core export, turning what it throws into the package's errors. */
function call(f) {
  // The lazy entry's module may not be instantiated yet: say so, not a glue TypeError.
  if (host.notReady) throw new Error(host.notReady())
  try { return f() } catch (x) { throw fail(x) }
}

/** The stack of `err` with `frames` (a caller's captured frames) as its frames. */
function withFrames(err, frames) {
  if (err instanceof Error && frames) err.stack = `${err.name}: ${err.message}\n${frames}`
  return err
}

/** The caller's frames, as seen from inside `fn` (V8); the whole stack elsewhere. */
function framesAbove(fn) {
  const holder = {}
  if (Error.captureStackTrace) Error.captureStackTrace(holder, fn)
  else holder.stack = new Error().stack
  const s = String(holder.stack || '')
  return s.startsWith('Error') ? s.slice(s.indexOf('\n') + 1) : s
}

class LogEntry {
  constructor(timestamp, level, message) {
    this.timestamp = timestamp
    this.level = level
    this.message = message
  }
  toString() {
    return `[${this.timestamp.toISOString()}] [${this.level}] ${core.stripAnsi(String(this.message))}`
  }
  toJSON() {
    return { timestamp: this.timestamp.toISOString(), level: this.level, message: this.message }
  }
}
class LogEntryStart extends LogEntry {
  constructor(timestamp, message) { super(timestamp, 'debug', message) }
}
class LogEntryEnd extends LogEntry {
  constructor(timestamp, message) { super(timestamp, 'debug', message) }
}

// ---- values across the boundary (the core's `interop` says the other half) ----
const JS = '\u0000js'

/** `JSON.stringify` of call arguments, tagging what JSON cannot carry. */
function encode(args) {
  return JSON.stringify(args, function (k, v) {
    const t = typeof v
    if (t === 'number') return Number.isFinite(v) ? v : { [JS]: String(v) }
    if (t === 'function' || t === 'bigint' || t === 'symbol') return { [JS]: t }
    if (v && t === 'object') {
      if (v instanceof ReadyCmd) return v.getCmd()
      if (typeof v.aborted === 'boolean' && typeof v.addEventListener === 'function') return { [JS]: 'AbortSignal' }
      if (v instanceof TemplateBase || (typeof Blob !== 'undefined' && v instanceof Blob)) return { [JS]: 'object' }
    }
    return v
  })
}

/** `JSON.parse` of a core result: tagged dates and log entries become objects. */
function decode(text) {
  return JSON.parse(text, (k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if ('\u0000date' in v) return new Date(v['\u0000date'] ?? NaN)
      const log = v['\u0000log']
      if (log) {
        const [kind, ms, level, message] = log
        const at = new Date(ms ?? NaN)
        return kind === 1 ? new LogEntryStart(at, message) : kind === 2 ? new LogEntryEnd(at, message) : new LogEntry(at, level, message)
      }
    }
    return v
  })
}

/** Where the code runs, for the core: the host and the variables it reads. */
function environment() {
  return JSON.stringify({ host: host.info, env: host.env() })
}
