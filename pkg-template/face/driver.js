// ---- the transport and the one driver of every core machine ----
// Reply kinds, as the core's `ReplyKind::from_code` reads them.
const HTTP = 0, NETWORK = 1, TIMEOUT = 2, ABORTED = 3, LOCAL = 4, UNREADABLE = 5
const MAX_REPLY_BYTES = 32 * 1024 * 1024

/**
 * One request with a timeout, the caller's signal and a reply cap. Never throws:
 * `{ kind, status, statusText, headers, body }` (for failures `statusText` says why).
 * Redirects are followed within the origin only: credentials never leave it.
 */
async function send(method, url, headers, body, timeoutMs, signal) {
  const ctrl = new AbortController()
  let timedOut = false
  const timer = timeoutMs > 0 ? setTimeout(() => { timedOut = true; ctrl.abort() }, timeoutMs) : undefined
  const onAbort = () => ctrl.abort()
  if (signal) {
    if (signal.aborted) ctrl.abort()
    else signal.addEventListener('abort', onAbort, { once: true })
  }
  const failed = (kind, why) => ({ kind, status: 0, statusText: why, headers: '', body: new Uint8Array(0) })
  try {
    let res = await fetch(url, { method, headers, body, signal: ctrl.signal, redirect: 'manual' })
    for (let hops = 0; res.status >= 300 && res.status < 400 && res.headers.get('location') && hops < 5; hops++) {
      const next = new URL(res.headers.get('location'), url)
      if (next.origin !== new URL(url).origin) {
        await res.body?.cancel()
        const why = `redirect to another origin (${next.origin}) not followed, so the credentials stay with ${new URL(url).origin}`
        return { kind: HTTP, status: res.status, statusText: why, headers: '', body: new Uint8Array(0) }
      }
      const keep = res.status === 307 || res.status === 308
      url = next.href
      res = await fetch(url, { method: keep ? method : 'GET', headers, body: keep ? body : undefined, signal: ctrl.signal, redirect: 'manual' })
    }
    if (res.type === 'opaqueredirect') return failed(NETWORK, `the server answered ${method} with a redirect, which is not followed`)
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
          return failed(UNREADABLE, `reply from ${method} ${url} exceeds ${MAX_REPLY_BYTES} bytes`)
        }
        chunks.push(value)
      }
    }
    const bytes = new Uint8Array(size)
    let at = 0
    for (const c of chunks) { bytes.set(c, at); at += c.byteLength }
    let lines = ''
    res.headers.forEach((v, k) => { lines += `${k}\n${v}\n` })
    return { kind: HTTP, status: res.status, statusText: res.statusText, headers: lines, body: bytes }
  } catch (e) {
    const kind = signal && signal.aborted ? ABORTED : timedOut ? TIMEOUT : NETWORK
    const cause = e && e.cause && e.cause.code ? ` (${e.cause.code})` : ''
    return failed(kind, String((e && e.message) || e) + cause)
  } finally {
    clearTimeout(timer)
    if (signal) signal.removeEventListener('abort', onAbort)
  }
}

/**
 * Runs machine `m` to its end: sends what it says (several requests may be in
 * flight), sleeps, hands over log entries and progress, and resolves with its result
 * or rejects with its error. `on` may give `signal`, `log`, `progress`, `prepare`
 * (async, for a build's steps) and `upload` (async, a COPY's archive and PUT).
 */
async function drive(m, on = {}) {
  const signal = on.signal
  const inFlight = new Map()
  let wake = () => {}
  let callbackFailed = false
  const deliver = (cb, value) => {
    if (!cb) return
    try { cb(value) } catch (e) {
      // A throwing callback must not stop or corrupt the build: reported once.
      if (!callbackFailed) console.error('novita-template-wasm: a build callback threw; the build goes on:', e)
      callbackFailed = true
    }
  }
  const onAbort = () => { m.abort(Date.now()); wake() }
  if (signal) {
    if (signal.aborted) m.abort(Date.now())
    else signal.addEventListener('abort', onAbort, { once: true })
  }
  const start = (id, promise) => {
    inFlight.set(id, promise.then((r) => { inFlight.delete(id); m.reply(id, r.kind, r.status, r.statusText, r.headers, r.body, Date.now()) }))
  }
  const waitAny = (ms) => new Promise((resolve) => {
    const timer = ms === undefined ? undefined : setTimeout(resolve, ms)
    wake = () => { clearTimeout(timer); resolve() }
    for (const p of inFlight.values()) p.then(wake)
  })
  try {
    for (;;) {
      const step = decode(m.next(Date.now()))
      switch (step.t) {
        case 'send':
          start(step.id, send(step.method, step.url, step.headers, step.body ?? undefined, step.timeout ?? 0, step.abortable ? signal : undefined))
          break
        case 'upload':
          start(step.id, on.upload(step, signal).catch((e) => ({ kind: LOCAL, status: 0, statusText: String((e && e.message) || e), headers: '', body: new Uint8Array(0) })))
          break
        case 'prepare':
          await on.prepare(step)
          break
        case 'sleep':
          await waitAny(step.ms)
          break
        case 'wait':
          await waitAny()
          break
        case 'log':
          deliver(on.log, step.entry)
          break
        case 'progress':
          deliver(on.progress, step.progress)
          break
        case 'done':
          return step.value
        default:
          throw toError(step.error)
      }
    }
  } finally {
    if (signal) signal.removeEventListener('abort', onAbort)
  }
}
