// What to tell the user about an error. The package says what kind of failure it
// was through its error classes; the page reads nothing out of message texts.
import { state } from './state.js'

/** True when no reply could be had (server down, wrong URL, CORS, offline): the package's NetworkError. */
export const isUnreachable = (e) => e instanceof state.api.NetworkError

/** One sentence: what happened and what to do about it. */
export function explain(e) {
  const api = state.api
  const name = (e && e.name) || 'Error'
  const msg = (e && e.message) || String(e)
  // list/get reject a 401 as a BuildError with `status` (as novita-sandbox does): same advice.
  if (e instanceof api.AuthenticationError || (e && e.status === 401)) {
    return `The API rejected the key (${msg}). Check the API key in the Connection settings (the emulator started by "make demo" accepts "demo-key").`
  }
  if (e instanceof api.AbortError) return msg
  if (e instanceof api.RateLimitError) return `Rate limited by the API (${msg}).${e.hint ? ` ${e.hint}` : ' Wait a little and try again.'}`
  if (e instanceof api.TimeoutError) return `The API did not answer in time (${msg}). Check the API URL and your network, then retry.`
  if (e instanceof api.InvalidArgumentError) return `Invalid input: ${msg}`
  if (e instanceof api.NotFoundError) return `Not found: ${msg}`
  if (isUnreachable(e)) {
    return `Could not reach the API at ${state.connection.apiUrl} (${msg}). Check the API URL in the Connection settings and that the server is running ("make demo" starts the emulator).`
  }
  if (e instanceof api.BuildError && e.step) {
    return `Build failed at step ${e.step}${e.stepDescription ? ` (${e.stepDescription})` : ''}: ${msg}`
  }
  return `${name}: ${msg}`
}
