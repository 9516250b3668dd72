// The browser host (the `Host` contract of host.d.ts): no file system and no
// environment; output through the console; uploads gzipped by CompressionStream.
// `loadExtras` (from the entry) loads the on-demand module on first use.
/**
 * @param {() => Promise<import('./host').Extras>} loadExtras
 * @returns {import('./host').Host}
 */
function createHost(loadExtras) {
  'use strict'
  /** @type {Promise<import('./host').Extras> | undefined} */
  let extras
  return {
    info: { kind: 'browser' },
    env: () => ({}),
    extras() {
      // One load per page; a failed load is tried again at the next use.
      extras ??= loadExtras().catch((e) => {
        extras = undefined
        throw e
      })
      return extras
    },
    // No native streaming SHA-256 (crypto.subtle hashes whole buffers only).
    sha256: () => undefined,
    stdoutIsTTY: () => false,
    writeStdout: (text) => console.log(text.replace(/\n$/, '')),

    // ---- the archive: gzip with the browser's CompressionStream into a Blob ----
    // Built from chunks (the browser may keep Blob parts on disk), never one giant
    // ArrayBuffer; fetch then sends the Blob with its exact length.
    createSpool() {
      const gzip = new CompressionStream('gzip')
      const writer = gzip.writable.getWriter()
      const parts = []
      const collected = (async () => {
        const reader = gzip.readable.getReader()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          parts.push(value)
        }
      })()
      return {
        async write(chunk) {
          await writer.ready
          // Copied: a chunk may be a view the caller reuses.
          await writer.write(new Uint8Array(chunk))
        },
        async finish() {
          await writer.close()
          await collected
          const body = new Blob(parts, { type: 'application/gzip' })
          return { body, size: body.size }
        },
        discard() {
          writer.abort().catch(() => {})
        },
      }
    },
  }
}
