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
  }
}
