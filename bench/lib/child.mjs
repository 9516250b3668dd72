// Runs a worker (or any Node script) in a child process with a time limit.
import { spawn } from 'node:child_process'

const running = new Set()

/** Kills every child still running (the bench's clean-up on failure or a signal). */
export function killChildren() {
  for (const child of running) child.kill('SIGKILL')
}

/** Resolves `{ code, stdout, stderr, ms }`; kills the child after `timeoutMs`. */
export function runNode(args, { timeoutMs = 120000, cwd, env } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, args, { cwd, env: env || process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    running.add(child)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => { stdout += d })
    child.stderr.on('data', (d) => { stderr += d })
    const timer = setTimeout(() => { stderr += `\n(killed after ${timeoutMs} ms)`; child.kill('SIGKILL') }, timeoutMs)
    child.on('close', (code) => {
      running.delete(child)
      clearTimeout(timer)
      resolve({ code, stdout, stderr, ms: performance.now() - t0 })
    })
  })
}

/** Runs bench/worker.mjs with `job`; the parsed result, or `{ error }`. */
export async function runWorker(workerPath, job, opts) {
  const r = await runNode([workerPath, JSON.stringify(job)], opts)
  const last = r.stdout.trim().split('\n').pop()
  try {
    return JSON.parse(last)
  } catch {
    return { error: `worker exited ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}` }
  }
}
