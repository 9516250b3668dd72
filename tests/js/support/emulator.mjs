// Starts the emulator binary on 127.0.0.1 (a free port) for one test file, and
// stops it afterwards. The binary: $NOVITA_EMULATOR_BIN or target/debug/novita-emulator.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { repoRoot } from './package-install.mjs'

export const emulatorBin = process.env.NOVITA_EMULATOR_BIN || join(repoRoot, 'target/debug/novita-emulator')

/**
 * Starts the emulator. `listen` defaults to `127.0.0.1:0`. Resolves with
 * `{ url, key, port, proc, requests(), stderr(), stop(), kill() }` once it printed its
 * two lines. With `--log-requests` in `args`, `requests()` returns the parsed request lines.
 */
export function startEmulator(args = [], { listen = '127.0.0.1:0', startMs = 15000 } = {}) {
  const proc = spawn(emulatorBin, ['--listen', listen, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  const requestLines = []
  createInterface({ input: proc.stderr }).on('line', (line) => {
    const m = /^(GET|POST|PUT|DELETE|OPTIONS|HEAD|PATCH) (\S+) -> (\S+)/.exec(line)
    if (m) requestLines.push({ method: m[1], path: m[2], status: m[3] })
    else if (stderr.length < 20000) stderr += line + '\n'
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`emulator did not start within ${startMs} ms: ${stderr}`)) }, startMs)
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
      resolve({
        url, key, port: Number(new URL(url).port), proc,
        requests: () => requestLines.slice(),
        stderr: () => stderr,
        stop: () => stopProcess(proc),
        kill: () => killProcess(proc),
      })
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

/** kill -9, resolved once the process is gone. */
export function killProcess(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    proc.once('exit', () => resolve())
    proc.kill('SIGKILL')
  })
}
