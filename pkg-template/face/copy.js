// ---- COPY steps: planned, hashed and archived by the on-demand side ----
let copyTools

/** The COPY tooling of the on-demand side (copy-tools.js), loaded on first use. */
async function tools() {
  const x = await host.extras()
  copyTools ??= x.createCopyTools({ errors, call, host, send, throwIfAborted, describe }, x)
  return copyTools
}

/**
 * The COPY steps of `t` planned and hashed: `{ copies, hashes }`, with `copies` null
 * (and nothing loaded) when it has none. Errors point at the `copy()` call.
 */
async function prepareCopies(t, onUploadProgress, signal) {
  const spec = JSON.parse(t._m.copies())
  if (!spec.copies.length) return { copies: null, hashes: [] }
  try {
    const c = await tools()
    const copies = await c.planCopies(t, spec)
    return { copies, hashes: await c.hashCopies(copies, onUploadProgress, signal) }
  } catch (x) {
    throw pointAt(t, fail(x))
  }
}

// ---- the base image's config (read from its registry by the on-demand module) ----
const imageConfigs = new Map() // per page or process: a read, successful or not, is not repeated

/** Reads and applies the image config if `t` asks for it; `log(level, text)` reports. */
async function readImageConfig(t, registryUrl, signal, log) {
  const request = t._m.imageRequest(host.info.kind === 'browser', registryUrl ?? undefined)
  const req = JSON.parse(request)
  if (!req) return
  if (req.skip) return log && log('debug', req.skip)
  let result = imageConfigs.get(request)
  if (!result) {
    const x = await host.extras()
    result = await drive(new x.RegistryRead(request, Math.random()), { signal })
    imageConfigs.set(request, result)
  }
  const warning = t._m.applyImageConfig(JSON.stringify(result))
  if (warning && log) log('warn', warning)
}
