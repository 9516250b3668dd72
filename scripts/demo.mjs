// `make demo`: starts the emulator (serving the demo page and the package),
// builds a real template end to end through the package with defaultBuildLogger,
// then keeps the emulator running for the demo page until Ctrl-C.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { buildPythonApp } from '../examples/build-python-app.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = process.env.NOVITA_EMULATOR_BIN || join(root, 'target/debug/novita-emulator')
const listen = process.env.DEMO_LISTEN || '127.0.0.1:3000'
const apiKey = 'demo-key'

function start(address) {
  const proc = spawn(bin, ['--listen', address, '--api-key', apiKey, '--step-ms', '300', '--serve', join(root, 'www'), '--serve-pkg', join(root, 'pkg')], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)))
    createInterface({ input: proc.stdout }).once('line', (line) => {
      const url = /^listening on (\S+)$/.exec(line)?.[1]
      if (url) resolve({ proc, url })
      else reject(new Error(`unexpected emulator output: ${line}`))
    })
  })
}

let emulator
try {
  emulator = await start(listen)
} catch {
  console.log(`${listen} is busy; using a free port`)
  emulator = await start('127.0.0.1:0')
}
const stop = () => {
  emulator.proc.kill('SIGTERM')
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

console.log(`emulator: ${emulator.url} (API key ${apiKey})\n`)
try {
  await buildPythonApp({ apiUrl: emulator.url, apiKey, registryUrl: `${emulator.url}/registry` })
} catch (e) {
  console.error(`demo build failed: ${e.name}: ${e.message}`)
}
console.log(`\nDemo page: ${emulator.url}/  (API key ${apiKey}). Press Ctrl-C to stop.`)
if (process.env.DEMO_EXIT_AFTER_BUILD) stop()
