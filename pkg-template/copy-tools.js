// COPY sources, hashing and archives: loaded with the on-demand module (its Node and
// browser loaders include this file), so a page that never copies never loads it.
// `face` gives what it needs of the face (errors, call, host, send, throwIfAborted,
// describe); `extras` is the on-demand wasm module (Copies, Sha256).
function createCopyTools(face, extras) {
'use strict'
const { errors, call, host, send, throwIfAborted, describe } = face
const CHUNK = 4 * 1024 * 1024

/** Calls `onProgress` with `{src, phase, bytesDone, bytesTotal}` at most every 100 ms. */
function progress(onProgress, src, phase, total) {
  let done = 0
  let last = -Infinity
  const report = (now) => {
    last = now
    try { onProgress({ src, phase, bytesDone: done, bytesTotal: total }) } catch {}
  }
  return {
    add(n) {
      done += n
      const now = Date.now()
      if (onProgress && now - last >= 100) report(now)
    },
    end() { if (onProgress) report(Date.now()) },
  }
}

/** A browser source: a FileList, File[], a FileSystemDirectoryHandle or `{path: content}`. */
function memorySource(source) {
  const invalid = (what) => new errors.InvalidArgumentError(`Template: ${what}`)
  const isHandle = typeof source.entries === 'function' && source.kind === 'directory'
  let entries
  const list = async () => {
    if (entries) return entries
    let pairs
    if (isHandle) {
      pairs = []
      const walk = async (dir, prefix) => {
        for await (const [name, e] of dir.entries()) {
          const path = prefix ? `${prefix}/${name}` : name
          if (e.kind === 'directory') await walk(e, path)
          else pairs.push([path, await e.getFile()])
        }
      }
      await walk(source, '')
    } else if (Array.isArray(source) || typeof source.item === 'function') {
      pairs = Array.from(source, (f) => [f.webkitRelativePath || f.name, f])
    } else {
      pairs = Object.entries(source)
    }
    const map = new Map()
    for (const [raw, value] of pairs) {
      const parts = String(raw).split(/[/\\]/).filter((s) => s && s !== '.')
      if (!parts.length || parts.includes('..')) throw invalid(`\`fileContext\`: invalid relative path ${JSON.stringify(raw)}`)
      const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value
      const size = bytes instanceof Uint8Array ? bytes.length : bytes && typeof bytes.slice === 'function' ? bytes.size : undefined
      if (typeof size !== 'number') throw invalid(`\`fileContext[${JSON.stringify(raw)}]\` must be a string, Uint8Array, Blob or File, got ${describe(value)}`)
      map.set(parts.join('/'), bytes)
    }
    // Listed again at each build of a directory handle, so edits are picked up.
    if (!isHandle) entries = map
    return map
  }
  return {
    async plan(spec) {
      const map = await list()
      spec.files = Array.from(map, ([p, v]) => [p, v.length ?? v.size])
      const ignore = map.get('.dockerignore')
      if (ignore) spec.dockerignore = new TextDecoder().decode(ignore instanceof Uint8Array ? ignore : await ignore.arrayBuffer())
      return map
    },
    async read(map, path, size, onChunk) {
      const v = map.get(path)
      let at = 0
      while (at < size) {
        const n = Math.min(CHUNK, size - at)
        const chunk = v instanceof Uint8Array ? v.subarray(at, at + n) : new Uint8Array(await v.slice(at, at + n).arrayBuffer())
        if (!chunk.length) break
        await onChunk(chunk)
        at += chunk.length
      }
      if (at !== size) throw new Error(`${path} changed while it was read: expected ${size} bytes, read ${at}`)
    },
  }
}

/** The COPY steps of `spec` (the model's `copies()`) planned over `t`'s file source. */
async function planCopies(t, spec) {
  const files = t._files && (t._files.memory ? memorySource(t._files.memory) : t._files)
  if (!files) {
    throw new Error('Browser runtime is not supported for copy without a file source: pass Template({ fileContext }) with the files (a FileList, File[], directory handle or { path: content } object)')
  }
  const source = await files.plan(spec)
  // A source that matches nothing is thrown as the core's error JSON, with its COPY index.
  const plans = new extras.Copies(JSON.stringify(spec), files.fs)
  return { plans, spec, files, source }
}

/** The files hash of every COPY step, in order. */
async function hashCopies(c, onProgress, signal) {
  const hashes = []
  for (let i = 0; i < c.spec.copies.length; i++) {
    const parts = JSON.parse(c.plans.hashParts(i))
    const h = host.sha256() || new extras.Sha256()
    const total = parts.reduce((n, p) => n + (typeof p === 'string' ? 0 : p[1]), 0)
    const p = progress(onProgress, c.spec.copies[i].src, 'hash', total)
    for (const part of parts) {
      throwIfAborted(signal)
      if (typeof part === 'string') h.updateText(part)
      else await c.files.read(c.source, part[0], part[1], (chunk) => { h.update(chunk); p.add(chunk.length) })
    }
    p.end()
    hashes.push(h.hex())
  }
  return hashes
}

/** Archives COPY `step.copy` into the host's gzip spool and PUTs it to `step.url`. */
async function uploadCopy(c, step, onProgress, signal) {
  const i = step.copy
  const { entries, trailer } = JSON.parse(c.plans.entries(i))
  const total = entries.reduce((n, e) => n + e.size, 0)
  const p = progress(onProgress, c.spec.copies[i].src, 'archive', total)
  const spool = host.createSpool()
  try {
    for (let j = 0; j < entries.length; j++) {
      const e = entries[j]
      await spool.write(call(() => c.plans.tarHeader(i, j)))
      if (e.file) {
        await c.files.read(c.source, e.path, e.size, (chunk) => { p.add(chunk.length); return spool.write(chunk) })
        if (e.pad) await spool.write(new Uint8Array(e.pad))
      }
    }
    await spool.write(new Uint8Array(trailer))
    p.end()
    const spooled = await spool.finish()
    // Node PUTs its file with node:http; a browser sends the Blob with fetch.
    return await (host.uploadSpool
      ? host.uploadSpool(step.url, spooled, step.timeout ?? 0, signal)
      : send('PUT', step.url, [], spooled.body, step.timeout ?? 0, signal))
  } catch (e) {
    spool.discard()
    throw new Error(`Failed to archive '${c.spec.copies[i].src}': ${(e && e.message) || e}`)
  }
}

/** Each COPY step's files and bytes (before gzip), for a plan. */
function summarize(c, hashes) {
  return hashes.map((hash, i) => {
    const s = c.spec.copies[i]
    const files = JSON.parse(c.plans.entries(i)).entries.filter((e) => e.file)
    const bytes = files.reduce((n, e) => n + e.size, 0)
    return { src: s.src, dest: s.dest, step: s.step, forceUpload: s.forceUpload, hash, files: files.length, bytes }
  })
}

return { planCopies, hashCopies, uploadCopy, summarize }
}
