// What to tell the user about an error, and which build outcome it means.
import { state } from './state.js'

/** True when the request never got an answer (server down, wrong URL, CORS, offline). */
export function isUnreachable(e) {
  const msg = (e && e.message) || String(e)
  // The package reports these as errors without an HTTP status whose message says
  // "Network error" (the browser's own words follow: "Failed to fetch", …).
  return !(e && e.status) && /network error|failed to fetch|load failed|networkerror/i.test(msg)
}

/** One sentence: what happened and what to do about it. */
export function explain(e) {
  const api = state.api
  const name = (e && e.name) || 'Error'
  const msg = (e && e.message) || String(e)
  // list/get reject a 401 as a BuildError with `status` (as novita-sandbox does): same advice.
  if (e instanceof api.AuthenticationError || (e && e.status === 401)) {
    return `The API rejected the key (${msg}). Check the API key in the Connection settings (the emulator started by "make demo" accepts "demo-key").`
  }
  if (e instanceof api.AbortError) return 'Cancelled.'
  if (e instanceof api.RateLimitError) return `Rate limited by the API (${msg}). Wait a little and try again.`
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
