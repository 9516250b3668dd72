// The browser host: no file system, no environment, output through the console.
function createHost() {
  'use strict'
  return {
    kind: 'browser',
    nodeVersion: undefined,
    osName: 'unknown',
    env: () => undefined,
    cwd: () => '.',
    isFile: () => false,
    readText(path) {
      throw new Error(`Reading files is not possible in a browser (${path})`)
    },
    stdoutIsTTY: () => false,
    writeStdout: (text) => console.log(text.replace(/\n$/, '')),

    // ---- the archive: gzip with the browser's CompressionStream into a Blob ----
    // Built from chunks (the browser may keep Blob parts on disk), never one
    // giant ArrayBuffer; fetch then sends the Blob with its exact length.
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
          await writer.write(new Uint8Array(chunk))
        },
        async finish() {
          await writer.close()
          await collected
          const blob = new Blob(parts, { type: 'application/gzip' })
          return { blob, size: blob.size }
        },
        discard() {
          writer.abort().catch(() => {})
        },
      }
    },
    uploadSpool(url, spooled, timeoutMs, signal) {
      return this.transport.fetch('PUT', url, [], spooled.blob, timeoutMs, signal)
    },
  }
}
