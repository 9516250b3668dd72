// The emulator for the bench: the test helper's start-up, plus a state directory
// inside the bench's temporary folder (removed with it) and the request log.
import { startEmulator as start } from '../../tests/js/support/emulator.mjs'
import { createInterface } from 'node:readline'

/**
 * Starts the emulator with `--log-requests`; `requests` collects one
 * `{ method, path, status }` per request (from its stderr).
 */
export async function startEmulator(dataDir, args = []) {
  const emu = await start(['--data-dir', dataDir, '--log-requests', ...args])
  const requests = []
  createInterface({ input: emu.proc.stderr }).on('line', (line) => {
    const m = /^(\S+) (\S+) -> (\d+)/.exec(line.trim())
    if (m) requests.push({ method: m[1], path: m[2], status: Number(m[3]) })
  })
  return { ...emu, requests }
}
