// Builds and watches: Template.build (foreground, with onBuildLogs), or
// Template.buildInBackground followed by watching with Template.getBuildStatus.
// One place decides what the page says about a build, so the badge, the banner,
// the page address, the outcome box and the log always agree:
//
//   phase          badge          address (?templateId&buildId)   banner
//   building       building       none (ids unknown yet)           "Building … in this tab"
//   watching       waiting/…      the build                        "Watching build …"
//   ready, failed  ready/failed   the build, when its ids are known "Build … ready/failed"
//   not-watching   not watching   none                             "Stopped watching … Watch again"
//   unreachable    unreachable    kept while watching              "Lost contact … Watch again"
//   cannot-watch   cannot watch   kept (e.g. an unknown build)     "Could not watch … Watch again"
//   cancelled      cancelled      none                             hidden
import { $, el, keepFocus, idWithCopy } from './dom.js'
import { state } from './state.js'
import { connection, registryOption } from './connection.js'
import { explain, isUnreachable } from './errors.js'
import { checkForm, focusFirstProblem } from './form-check.js'
import { appendLog, clearLog, notePage, highlightStep, showFailedStepLines, revealLog } from './log-view.js'
import { resetProgress, showStep } from './progress.js'

const LABELS = { 'not-watching': 'not watching', 'cannot-watch': 'cannot watch' }
/** Set by app.js: runs after every outcome (refreshes the templates list), and starts a sandbox. */
export const buildHooks = { outcome: () => {}, startSandbox: () => {} }

function setPhase(phase) {
  state.build.phase = phase
  const badge = $('#status')
  badge.dataset.status = phase
  badge.textContent = LABELS[phase] || phase
}

function startClock(from = Date.now()) {
  const b = state.build
  b.startedAt = from
  clearInterval(b.clockTimer)
  const tick = () => { $('#elapsed').textContent = `${((Date.now() - b.startedAt) / 1000).toFixed(1)} s` }
  tick()
  b.clockTimer = setInterval(tick, 100)
}

function stopClock() {
  clearInterval(state.build.clockTimer)
  if (state.build.startedAt) $('#elapsed').textContent = `${((Date.now() - state.build.startedAt) / 1000).toFixed(1)} s`
}

function setRunning(kind, controller = null) {
  state.build.running = kind
  state.build.controller = controller
  $('#build').disabled = !!kind
  $('#build-bg').disabled = !!kind
  $('#cancel').disabled = !kind
  $('#cancel').textContent = kind === 'watch' ? 'Stop watching' : 'Cancel'
}

/** The page address names the build exactly when a reload can show it. */
function setAddress(withBuild) {
  const url = new URL(location.href)
  const { templateId, buildId } = state.build
  if (withBuild && templateId && buildId) {
    url.searchParams.set('templateId', templateId)
    url.searchParams.set('buildId', buildId)
  } else {
    url.searchParams.delete('templateId')
    url.searchParams.delete('buildId')
  }
  history.replaceState(null, '', url)
}

const watchAgainButton = () => el('button', { type: 'button', id: 'watch-again', text: 'Watch again', onclick: () => watch(state.build.templateId, state.build.buildId) })

function renderBanner() {
  const { phase, running, templateId, buildId, name } = state.build
  const banner = $('#build-banner')
  const ids = () => [el('span', { text: 'build ' }), idWithCopy(buildId, 'build ID'), el('span', { text: ' of template ' }), idWithCopy(templateId, 'template ID')]
  let parts = null
  if (running === 'foreground') {
    parts = [el('span', { text: `Building "${name}" in this tab: its link appears when it is ready. To follow a build from any tab or after a reload, use Build in background.` })]
  } else if (running === 'watch') {
    parts = [el('span', { text: 'Watching ' }), ...ids(), el('span', { text: '. ' }),
      el('a', { href: location.href, text: 'This link' }), el('span', { text: ' follows it from any tab and after a reload.' })]
  } else if ((phase === 'ready' || phase === 'failed') && buildId) {
    parts = [el('span', { text: 'Build ' }), ...ids().slice(1), el('span', { text: `: ${phase}. ` }),
      el('a', { href: location.href, text: 'This link' }), el('span', { text: ' shows its log and outcome.' })]
  } else if (phase === 'not-watching') {
    parts = [el('span', { text: 'Stopped watching ' }), ...ids(), el('span', { text: '; the build goes on on the server. ' }), watchAgainButton()]
  } else if (phase === 'unreachable' && buildId) {
    parts = [el('span', { text: 'Lost contact with the API while watching ' }), ...ids(), el('span', { text: '. ' }), watchAgainButton()]
  } else if (phase === 'cannot-watch') {
    parts = [el('span', { text: 'Could not watch ' }), ...ids(), el('span', { text: '. ' }), watchAgainButton()]
  }
  banner.replaceChildren(...(parts || []))
  banner.hidden = !parts
  banner.dataset.phase = phase
}

function resetOutcome() {
  for (const id of ['#build-error', '#build-result']) {
    $(id).hidden = true
    $(id).replaceChildren()
  }
  state.build.failure = null
  resetProgress()
}

const retryButton = () => el('button', { type: 'button', id: 'retry', text: 'Retry', onclick: retry })

function showFailure(failure) {
  const box = $('#build-error')
  box.replaceChildren()
  if (failure.step) {
    box.append(el('strong', { text: `Failed at step ${failure.step}` }))
    if (failure.stepDescription) box.append(' ', el('code', { text: failure.stepDescription }))
    box.append(el('p', { text: failure.message }))
  } else {
    box.append(el('p', { text: failure.text }))
  }
  // Retry repeats what this page did; a build opened from a link that failed on
  // the server has nothing to repeat.
  const canRetry = ['unreachable', 'cannot-watch'].includes(state.build.phase) || ['foreground', 'background'].includes(state.build.lastAction)
  const actions = el('p', { class: 'row' }, canRetry ? retryButton() : null)
  if (failure.step && highlightStep(failure.step)) {
    actions.append(el('button', { type: 'button', id: 'show-step', text: `Show step ${failure.step} in the log`, onclick: showFailedStepLines }))
  }
  box.append(actions)
  if (failure.step) box.append(el('p', { class: 'small', text: 'Fix the step and build again (tick "Skip the layer cache" if you suspect a stale layer).' }))
  if (failure.extra) box.append(el('p', { text: failure.extra }))
  box.hidden = false
}

function showResult(children, outcome) {
  const box = $('#build-result')
  box.replaceChildren(...children)
  box.dataset.outcome = outcome
  box.hidden = false
}

/**
 * Ends a build, a background request or a watch with one outcome, and makes every
 * part of the page say the same. `failure`: `{ step?, stepDescription?, message, text, extra? }`.
 */
function conclude(outcome, { failure = null, withEndMarker = false } = {}) {
  const b = state.build
  const watching = b.running === 'watch'
  stopClock()
  setRunning(null)
  // The watched server log has no end entry of the package's: add the same neutral marker.
  if (withEndMarker) appendLog(new state.api.LogEntryEnd(new Date(), 'end of build log'))
  setPhase(outcome)
  if (outcome === 'ready') {
    setAddress(true)
    showResult([
      el('strong', { text: 'Ready. ' }),
      el('span', { text: `${b.name ? b.name + ' · ' : ''}template ` }), idWithCopy(b.templateId, 'template ID'),
      el('span', { text: ' · build ' }), idWithCopy(b.buildId, 'build ID'), ' ',
      el('button', { type: 'button', id: 'start-sandbox', text: 'Start a sandbox', onclick: () => buildHooks.startSandbox(b.templateId) })], 'ready')
    notePage('info', `Outcome: ready (template ${b.templateId}, build ${b.buildId}).`, { outcome: 'ready' })
  } else if (outcome === 'failed') {
    setAddress(true)
    b.failure = failure
    showFailure(failure)
    if (failure.step) showStep({ step: failure.step, failed: true })
    notePage('error', `Outcome: failed${failure.step ? ` at step ${failure.step}${failure.stepDescription ? ` (${failure.stepDescription})` : ''}: ${failure.message}` : `: ${failure.text}`}`, { outcome: 'failed' })
  } else if (outcome === 'unreachable' || outcome === 'cannot-watch') {
    setAddress(watching)
    b.failure = failure
    showFailure(failure)
    notePage('error', outcome === 'unreachable' ? `Outcome: unreachable: ${failure.text}` : `Could not watch the build: ${failure.text}`, { outcome })
  } else if (outcome === 'cancelled') {
    setAddress(false)
    // Honest about what cancel does today: the page stops; the server was not told.
    const text = 'Cancelled in this page. The server was not asked to stop the build (the API has no cancel call yet), so it may still finish: the templates list shows what it did.'
    showResult([el('p', { text })], 'cancelled')
    notePage('warn', `Outcome: cancelled. ${text}`, { outcome: 'cancelled' })
  } else if (outcome === 'not-watching') {
    setAddress(false)
    notePage('warn', 'Stopped watching; the build goes on on the server. "Watch again" above follows it again.', { outcome: 'not-watching' })
  }
  renderBanner()
  buildHooks.outcome(outcome)
  keepFocus($('#build-error #retry') || $('#watch-again') || $('#build'))
}

/**
 * The outcome of a rejected call. A build call: cancelled, unreachable or failed.
 * A watch: the build's own end is reported by getBuildStatus, so an error here is
 * about watching, never the build failing: not-watching, unreachable (network,
 * timeouts, 5xx and 429, after the package's retries) or cannot-watch.
 */
function concludeError(e, controller, { watching = false } = {}) {
  const api = state.api
  if (controller.signal.aborted || e instanceof api.AbortError) {
    conclude(watching ? 'not-watching' : 'cancelled')
    return
  }
  const transient = isUnreachable(e) || e instanceof api.TimeoutError ||
    (watching && (e instanceof api.RateLimitError || (e && e.status >= 500)))
  if (transient) {
    conclude('unreachable', { failure: { text: explain(e) } })
    return
  }
  if (watching) {
    const failure = { text: explain(e) }
    if (e && e.status === 404) {
      failure.extra = `The API at ${state.connection.apiUrl} does not know this build: the link may come from another server, or the emulator was restarted without --data-dir (its data is temporary by default).`
    }
    conclude('cannot-watch', { failure })
    return
  }
  const failure = e instanceof api.BuildError && e.step
    ? { step: e.step, stepDescription: e.stepDescription, message: e.message }
    : { text: explain(e) }
  conclude('failed', { failure })
}

/** Checks the form; on problems focuses the first and returns null. */
function checkedTemplate() {
  const check = checkForm({ keep: true })
  if (check.errors.length) {
    focusFirstProblem(check.errors)
    return null
  }
  return check
}

function begin(kind, controller, name) {
  const b = state.build
  b.templateId = ''
  b.buildId = ''
  b.name = name
  setAddress(false)
  resetOutcome()
  clearLog()
  setRunning(kind, controller)
  renderBanner()
  revealLog()
  keepFocus($('#cancel'))
}

/** Foreground build: Template.build with onBuildLogs and an AbortController. */
export async function buildForeground() {
  if (state.build.running) return
  state.build.lastAction = 'foreground'
  const check = checkedTemplate()
  if (!check) return
  const controller = new AbortController()
  setPhase('building')
  begin('foreground', controller, check.name)
  startClock()
  try {
    const info = await state.api.Template.build(check.template, check.name, {
      ...connection(), ...registryOption(), ...check.options, signal: controller.signal, onBuildLogs: appendLog,
    })
    Object.assign(state.build, { templateId: info.templateId, buildId: info.buildId, name: info.name })
    conclude('ready')
  } catch (e) {
    concludeError(e, controller)
  } finally {
    if (typeof check.template.free === 'function') check.template.free()
  }
}

/** Background build: Template.buildInBackground, then watch it. */
export async function buildBackground() {
  if (state.build.running) return
  state.build.lastAction = 'background'
  const check = checkedTemplate()
  if (!check) return
  const controller = new AbortController()
  setPhase('requesting')
  begin('background', controller, check.name)
  startClock()
  let info
  try {
    info = await state.api.Template.buildInBackground(check.template, check.name, {
      ...connection(), ...registryOption(), ...check.options, signal: controller.signal,
    })
  } catch (e) {
    concludeError(e, controller)
    return
  } finally {
    if (typeof check.template.free === 'function') check.template.free()
  }
  setRunning(null)
  watch(info.templateId, info.buildId)
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const id = setTimeout(resolve, ms)
  signal.addEventListener('abort', () => { clearTimeout(id); resolve() }, { once: true })
})

/**
 * Follows a build by polling getBuildStatus with logsOffset until it ends. Any tab
 * (or a reload) with ?templateId=…&buildId=… in its address watches the same build
 * from its first line. Transient failures are the package's to retry.
 */
export async function watch(templateId, buildId) {
  if (state.build.running) return
  const b = state.build
  const controller = new AbortController()
  Object.assign(b, { templateId, buildId, name: '' })
  if (b.lastAction !== 'background') b.lastAction = 'watch'
  resetOutcome()
  clearLog()
  setRunning('watch', controller)
  setPhase('waiting')
  setAddress(true)
  renderBanner()
  keepFocus($('#cancel'))
  let offset = 0
  let first = true
  try {
    for (;;) {
      const s = await state.api.Template.getBuildStatus({ templateId, buildId }, { ...connection(), logsOffset: offset, signal: controller.signal })
      if (first) {
        first = false
        const t0 = s.logEntries[0] && s.logEntries[0].timestamp
        startClock(t0 instanceof Date && !isNaN(t0) ? t0.getTime() : Date.now())
      }
      for (const entry of s.logEntries) appendLog(entry)
      offset += s.logEntries.length
      if (s.status === 'ready') {
        conclude('ready', { withEndMarker: true })
        return
      }
      if (s.status === 'error') {
        const r = s.reason || {}
        conclude('failed', { withEndMarker: true, failure: { step: r.step, message: r.message || 'the build failed', text: r.message || 'the build failed' } })
        return
      }
      setPhase(s.status)
      // A full page means more lines are waiting: fetch them at once.
      if (s.logEntries.length < 100) await sleep(500, controller.signal)
      if (controller.signal.aborted) throw new state.api.AbortError('stopped watching')
    }
  } catch (e) {
    concludeError(e, controller, { watching: true })
  }
}

/**
 * Cancel / Stop watching. Today this only stops the page (the signal aborts the
 * package's call); the outcome says so. When the package can cancel on the server
 * and report what happened there, its answer is shown from here.
 */
export function cancel() {
  if (state.build.controller) state.build.controller.abort()
}

/** Repeats what failed: the last build, or the watch that lost contact. */
export function retry() {
  const b = state.build
  if (['unreachable', 'cannot-watch'].includes(b.phase) && b.buildId && b.lastAction !== 'foreground') watch(b.templateId, b.buildId)
  else if (b.lastAction === 'background') buildBackground()
  else if (b.lastAction === 'watch') watch(b.templateId, b.buildId)
  else buildForeground()
}

export function initBuild() {
  $('#build').addEventListener('click', buildForeground)
  $('#build-bg').addEventListener('click', buildBackground)
  $('#cancel').addEventListener('click', cancel)
  setRunning(null)
  setPhase('idle')
}
