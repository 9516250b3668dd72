// The "current step" of the status line. Today the step comes from the server's
// log text ("[2] RUN …", "CACHED [3] COPY …"), which is all phase 1 has. When the
// package offers progress events (`onBuildProgress`), they feed `showStep` directly
// and the log parsing here goes away; nothing else on the page has to change.
import { $ } from './dom.js'

/** `[step] text` at the start of a server log line; group 2 is the step id. */
export const STEP_RE = /^(CACHED )?\[([\w-]+)\] (.*)$/

/** The step id a server log line belongs to, or ''. */
export function stepOfMessage(message) {
  const m = STEP_RE.exec(message)
  return m ? m[2] : ''
}

/** Shows the step the build is at. */
export function showStep({ step, text, failed = false }) {
  $('#current-step').textContent = failed ? `${step} (failed)` : `${step}: ${text}`.slice(0, 90)
}

/** Follows the log: the latest `[step]` line at info or warn level is the current step. */
export function progressFromLogEntry(level, message) {
  if (level !== 'info' && level !== 'warn') return
  const m = STEP_RE.exec(message)
  if (m) showStep({ step: m[2], text: m[3] })
}

export function resetProgress() {
  $('#current-step').textContent = '–'
}
