// Starts the emulator binary on 127.0.0.1 (a free port) for one test file, and
// stops it afterwards. The binary: $NOVITA_EMULATOR_BIN or target/debug/novita-emulator.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { repoRoot } from './package-install.mjs'

export const emulatorBin = process.env.NOVITA_EMULATOR_BIN || join(repoRoot, 'target/debug/novita-emulator')

/** `{ url, key, proc, stop() }` once the emulator printed its URL and key. */
export function startEmulator(args = []) {
  const proc = spawn(emulatorBin, ['--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  proc.stderr.on('data', (d) => { stderr += d })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error('emulator did not start within 15 s')) }, 15000)
    const lines = []
    proc.once('error', (e) => { clearTimeout(timer); reject(e) })
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited (${code}): ${stderr}`)) })
    createInterface({ input: proc.stdout }).on('line', (line) => {
      lines.push(line)
      if (lines.length !== 2) return
      clearTimeout(timer)
      const url = /^listening on (http:\/\/\S+)$/.exec(lines[0])?.[1]
      const key = /^api key: (\S+)$/.exec(lines[1])?.[1]
      if (!url || !key) return reject(new Error(`unexpected emulator output: ${lines.join(' | ')}`))
      proc.removeAllListeners('exit')
      resolve({ url, key, proc, stop: () => stopProcess(proc) })
    })
  })
}

export function stopProcess(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const t = setTimeout(() => { proc.kill('SIGKILL'); resolve() }, 5000)
    proc.once('exit', () => { clearTimeout(t); resolve() })
    proc.kill('SIGTERM')
  })
}
