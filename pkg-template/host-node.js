// The Node host: the few things only Node can do (environment, files, stdout),
// behind the same small interface as the browser host. Wrapped into CommonJS by
// the build script; `require` is Node's.
function createHost() {
  'use strict'
  const fs = require('node:fs')
  const os = require('node:os')
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
    writeStdout: (text) => process.stdout.write(text),
  }
}
