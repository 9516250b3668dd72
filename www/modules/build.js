// Builds and watches: Template.build (foreground), or Template.buildInBackground
// followed by Template.waitForBuild (which any tab, or a reload, can do from the
// page address). The package reports the build's ids as soon as the server created
// it (onBuildRequested), each step's progress (onBuildProgress), what a cancel did on
// the server (AbortError.serverBuild) and why a build failed (BuildError). One place
// decides what the page says about a build, so the badge, the banner, the page
// address, the outcome box and the log always agree:
//
//   phase            badge        address (?templateId&buildId)   banner
//   requesting       requesting   none (no build yet)              "Requesting a build …"
//   uploading …      …            the build, once requested        "Building build … / Starting build …"
//   watching         waiting/…    the build                        "Watching build …"
//   ready, failed    ready/failed the build, when its ids are known "Build … ready/failed"
//   timed-out        timed out    the build (it goes on)           "Deadline passed … Watch again"
//   cancelled        cancelled    none                             the server's side, "Watch it" if it goes on
//   not-watching     not watching none                             "Stopped watching … Watch again"
//   unreachable      unreachable  kept while watching              "Lost contact … Watch again"
//   cannot-watch     cannot watch kept (e.g. an unknown build)     "Could not watch … Watch again"
//   not-started      not started  none                             none (the problem is under its field)
import { $, el, keepFocus, idWithCopy } from './dom.js'
import { state } from './state.js'
import { connection, registryOption } from './connection.js'
import { explain, isUnreachable } from './errors.js'
import { checkFormForBuild, focusFirstProblem, showFieldProblem } from './form-check.js'
import { OPTION_FIELDS } from './template-form.js'
import { appendLog, clearLog, notePage, highlightStep, showFailedStepLines, revealLog } from './log-view.js'
import { resetProgress, finishProgress, onBuildProgress, onUploadProgress, stepDescription, duration } from './progress.js'

const LABELS = { 'not-watching': 'not watching', 'cannot-watch': 'cannot watch', 'timed-out': 'timed out', 'not-started': 'not started' }
const RUNNING_PHASES = ['requesting', 'uploading', 'waiting', 'building']
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
  const tick = () => { $('#elapsed').textContent = duration(Date.now() - b.startedAt) }
  tick()
  b.clockTimer = setInterval(tick, 100)
}

function stopClock() {
  clearInterval(state.build.clockTimer)
  if (state.build.startedAt) $('#elapsed').textContent = duration(Date.now() - state.build.startedAt)
}

/** `kind`: null | 'checking' (the form is being checked) | 'foreground' | 'background' | 'watch'. */
function setRunning(kind, controller = null) {
  state.build.running = kind === 'checking' ? null : kind
  state.build.controller = controller
  $('#build').disabled = !!kind
  $('#build-bg').disabled = !!kind
  $('#plan-run').disabled = !!kind
  $('#cancel').disabled = !kind || kind === 'checking'
  $('#cancel').textContent = kind === 'watch' ? 'Stop watching' : 'Cancel'
}

/**
 * The page address names the build exactly when a reload can follow it: once the
 * build runs. Before that the build's files are still to be uploaded and it is
 * still to be started by this tab, so a reload would leave it waiting forever.
 */
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

/** The page address that follows the build shown. */
function buildUrl() {
  const url = new URL(location.href)
  url.searchParams.set('templateId', state.build.templateId)
  url.searchParams.set('buildId', state.build.buildId)
  return url.href
}

const watchButton = (text = 'Watch again') => el('button', { type: 'button', id: 'watch-again', text, onclick: () => watch(state.build.templateId, state.build.buildId) })
const thisLink = (rest) => [el('a', { href: buildUrl(), text: 'This link' }), el('span', { text: rest })]

function renderBanner() {
  const { phase, running, templateId, buildId, name, cancel } = state.build
  const banner = $('#build-banner')
  const ids = () => [el('span', { text: 'build ' }), idWithCopy(buildId, 'build ID'), el('span', { text: ' of template ' }), idWithCopy(templateId, 'template ID')]
  let parts = null
  if ((running === 'foreground' || running === 'background') && !buildId) {
    parts = [el('span', { text: `Requesting a build of "${name}"${running === 'background' ? ' to run in the background' : ''}…` })]
  } else if (running === 'foreground') {
    parts = [el('span', { text: 'Building ' }), ...ids(), el('span', { text: ' in this tab. ' }), ...thisLink(' follows it from any tab.')]
  } else if (running === 'background') {
    parts = [el('span', { text: 'Starting ' }), ...ids(), el('span', { text: ' in the background. ' }), ...thisLink(' follows it from any tab.')]
  } else if (running === 'watch') {
    parts = [el('span', { text: 'Watching ' }), ...ids(), el('span', { text: '. ' }), ...thisLink(' follows it from any tab and after a reload.')]
  } else if ((phase === 'ready' || phase === 'failed') && buildId) {
    parts = [el('span', { text: 'Build ' }), ...ids().slice(1), el('span', { text: `: ${phase}. ` }), ...thisLink(' shows its log and outcome.')]
  } else if (phase === 'timed-out' && buildId) {
    parts = [el('span', { text: 'Deadline passed: stopped following ' }), ...ids(), el('span', { text: '; it goes on on the server. ' }), watchButton()]
  } else if (phase === 'cancelled' && cancel && cancel.serverBuild === 'continues' && buildId) {
    parts = [el('span', { text: 'Cancelled here: ' }), ...ids(), el('span', { text: ' goes on on the server (the API has no cancel). ' }), watchButton('Watch it')]
  } else if (phase === 'not-watching') {
    parts = [el('span', { text: 'Stopped watching ' }), ...ids(), el('span', { text: '; the build goes on on the server. ' }), watchButton()]
  } else if (phase === 'unreachable' && buildId) {
    parts = [el('span', { text: 'Lost contact with the API while watching ' }), ...ids(), el('span', { text: '. ' }), watchButton()]
  } else if (phase === 'cannot-watch') {
    parts = [el('span', { text: 'Could not watch ' }), ...ids(), el('span', { text: '. ' }), watchButton()]
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
  state.build.cancel = null
  resetProgress()
}

const retryButton = () => el('button', { type: 'button', id: 'retry', text: 'Retry', onclick: retry })

/** What the package's `BuildError.reason` means, for the failure box's heading. */
const REASONS = {
  'out-of-memory': 'Out of memory',
  'disk-full': 'Disk full',
  'step-timeout': 'Step time limit',
  'rate-limited': 'Rate limited',
  'image-not-found': 'Image not found',
  'registry-access-denied': 'Registry access denied',
}

function showFailure(failure) {
  const box = $('#build-error')
  box.replaceChildren()
  if (failure.step) {
    const total = state.progress.total
    const index = (state.progress.steps.get(failure.step) || {}).index
    box.append(el('strong', { text: `Failed at step ${failure.step}${index && total ? ` (${index} of ${total})` : ''}` }))
    if (failure.stepDescription) box.append(' ', el('code', { text: failure.stepDescription }))
    box.append(el('p', { text: failure.message }))
  } else {
    box.append(el('p', { text: failure.text }))
  }
  if (failure.hint) {
    box.append(el('p', { class: 'hint', 'data-reason': failure.reason || null },
      el('strong', { text: `${REASONS[failure.reason] || 'Hint'}: ` }), el('span', { text: failure.hint })))
  }
  // Retry repeats what this page did; a build opened from a link that failed on
  // the server has nothing to repeat.
  const canRetry = ['unreachable', 'cannot-watch'].includes(state.build.phase) || ['foreground', 'background'].includes(state.build.lastAction)
  const actions = el('p', { class: 'row' }, canRetry ? retryButton() : null)
  if (failure.step && highlightStep(failure.step, failure.logTail)) {
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
 * part of the page say the same. `failure`: `{ step?, stepDescription?, message, text, reason?, hint?, logTail?, extra? }`;
 * `cancel`: `{ serverBuild, message }` (the package's AbortError).
 */
function conclude(outcome, { failure = null, cancel = null, withEndMarker = false } = {}) {
  const b = state.build
  const watching = b.running === 'watch'
  // Only Template.build logs start and end entries; a watch and a background request
  // that was sent end with the same neutral marker, added here.
  const marker = withEndMarker || (b.running === 'background' && outcome !== 'not-started')
  stopClock()
  setRunning(null)
  if (marker) appendLog(new state.api.LogEntryEnd(new Date(), 'end of build log'))
  setPhase(outcome)
  finishProgress()
  const idsText = b.buildId ? ` (template ${b.templateId}, build ${b.buildId})` : ''
  if (outcome === 'ready') {
    setAddress(true)
    const p = state.progress
    const done = [...p.steps.values()]
    const cached = done.filter((s) => s.cached).length
    showResult([
      el('strong', { text: 'Ready. ' }),
      el('span', { text: `${b.name ? b.name + ' · ' : ''}template ` }), idWithCopy(b.templateId, 'template ID'),
      el('span', { text: ' · build ' }), idWithCopy(b.buildId, 'build ID'), ' ',
      p.total ? el('span', { id: 'result-steps', text: ` · ${p.total} steps${cached ? `, ${cached} cached` : ''} ` }) : null,
      el('button', { type: 'button', id: 'start-sandbox', text: 'Start a sandbox', onclick: () => buildHooks.startSandbox(b.templateId) })], 'ready')
    notePage('info', `Outcome: ready${idsText}.`, { outcome: 'ready' })
  } else if (outcome === 'failed') {
    setAddress(!!b.buildId)
    b.failure = failure
    showFailure(failure)
    notePage('error', `Outcome: failed${failure.step ? ` at step ${failure.step}${failure.stepDescription ? ` (${failure.stepDescription})` : ''}: ${failure.message}` : `: ${failure.text}`}`, { outcome: 'failed' })
  } else if (outcome === 'timed-out') {
    setAddress(true)
    showResult([el('p', { text: failure.text })], 'timed-out')
    notePage('warn', `Outcome: timed out. ${failure.text}`, { outcome: 'timed-out' })
  } else if (outcome === 'unreachable' || outcome === 'cannot-watch') {
    setAddress(watching)
    b.failure = failure
    showFailure(failure)
    notePage('error', outcome === 'unreachable' ? `Outcome: unreachable: ${failure.text}` : `Could not watch the build: ${failure.text}`, { outcome })
  } else if (outcome === 'cancelled') {
    setAddress(false)
    b.cancel = cancel
    // The package's words say what happened on the server: nothing started, the
    // build goes on (the API has no cancel), or its template was deleted.
    showResult([el('p', { text: cancel.message })], 'cancelled')
    notePage('warn', `Outcome: cancelled. ${cancel.message}`, { outcome: 'cancelled' })
  } else if (outcome === 'not-watching') {
    setAddress(false)
    notePage('warn', 'Stopped watching; the build goes on on the server. "Watch again" above follows it again.', { outcome: 'not-watching' })
  } else if (outcome === 'not-started') {
    setAddress(false)
    notePage('warn', `Not started: ${failure.text}`, { outcome: 'not-started' })
  }
  renderBanner()
  buildHooks.outcome(outcome)
  keepFocus($('#build-error #retry') || $('#watch-again') || $('#build'))
}

/** The failure as the page shows it, from the package's `BuildError`. */
function failureOf(e) {
  const api = state.api
  if (e instanceof api.BuildError && e.step) {
    return {
      step: e.step,
      stepDescription: e.stepDescription || stepDescription(e.step),
      message: e.message,
      reason: e.reason,
      hint: e.hint,
      logTail: e.logTail || [],
    }
  }
  return { text: explain(e), reason: e && e.reason, hint: e && e.hint }
}

/**
 * The outcome of a rejected call. A build call: cancelled, timed out, unreachable,
 * not started (an option refused before any request) or failed. A watch: failed
 * when the build failed (a BuildError without an HTTP status), else an error about
 * watching: not-watching, unreachable (network, timeouts, 5xx and 429, after the
 * package's retries) or cannot-watch.
 */
function concludeError(e, controller, { watching = false } = {}) {
  const api = state.api
  const b = state.build
  // The package names the build in its errors once the server created it.
  if (e && e.buildId && !b.buildId) Object.assign(b, { templateId: e.templateId, buildId: e.buildId })
  if (e instanceof api.AbortError || controller.signal.aborted) {
    if (watching) conclude('not-watching')
    else conclude('cancelled', { cancel: { serverBuild: e && e.serverBuild, message: (e && e.message) || 'Cancelled.' } })
    return
  }
  if (e instanceof api.TemplateBuildTimeoutError) {
    conclude('timed-out', { failure: { text: e.message } })
    return
  }
  const transient = isUnreachable(e) || e instanceof api.TimeoutError ||
    (watching && (e instanceof api.RateLimitError || (e && e.status >= 500)))
  if (transient) {
    conclude('unreachable', { failure: { text: explain(e) } })
    return
  }
  if (watching && !(e instanceof api.BuildError && !e.status)) {
    const failure = { text: explain(e) }
    if (e && e.status === 404) {
      failure.extra = `The API at ${state.connection.apiUrl} does not know this build: the link may come from another server, or the emulator was restarted without --data-dir (its data is temporary by default).`
    }
    conclude('cannot-watch', { failure })
    return
  }
  // An option the package refused before any request: shown under its field.
  const field = e instanceof api.InvalidArgumentError && !b.buildId && OPTION_FIELDS[e.argument]
  if (field) {
    conclude('not-started', { failure: { text: e.message } })
    showFieldProblem(field[0], field[1], e.message)
    return
  }
  conclude('failed', { failure: failureOf(e), withEndMarker: watching })
}

/** Checks the form (and the COPY sources); on problems focuses the first and returns null. */
async function checkedTemplate() {
  setRunning('checking')
  let check
  try {
    check = await checkFormForBuild()
  } finally {
    setRunning(null)
  }
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
  setRunning(kind, controller)
  resetOutcome()
  clearLog()
  setPhase('requesting')
  renderBanner()
  revealLog()
  startClock()
  keepFocus($('#cancel'))
}

/** The callbacks every build gets: ids at once, progress, uploads and log lines. */
function buildCallbacks() {
  const b = state.build
  return {
    onBuildRequested: ({ templateId, buildId }) => {
      Object.assign(b, { templateId, buildId })
      setPhase('uploading')
      renderBanner()
    },
    onUploadProgress,
    onBuildProgress: (p) => {
      if (b.phase !== 'building') {
        setPhase('building')
        setAddress(true)
      }
      onBuildProgress(p)
    },
    onBuildLogs: appendLog,
  }
}

/** Foreground build: Template.build with every callback, a deadline and a cancel. */
export async function buildForeground() {
  if (state.build.running) return
  state.build.lastAction = 'foreground'
  const check = await checkedTemplate()
  if (!check) return
  const controller = new AbortController()
  begin('foreground', controller, check.name)
  try {
    const info = await state.api.Template.build(check.template, check.name, {
      ...connection(), ...registryOption(), ...check.options, ...buildCallbacks(), signal: controller.signal,
    })
    Object.assign(state.build, { templateId: info.templateId, buildId: info.buildId, name: info.name })
    conclude('ready')
  } catch (e) {
    concludeError(e, controller)
  }
}

/**
 * Background build: Template.buildInBackground (the ids are in the address as soon
 * as the server created the build), then watch it with the same deadline.
 */
export async function buildBackground() {
  if (state.build.running) return
  state.build.lastAction = 'background'
  const check = await checkedTemplate()
  if (!check) return
  const controller = new AbortController()
  const { timeoutMs } = check.options
  begin('background', controller, check.name)
  const started = Date.now()
  let info
  try {
    // `timeoutMs` is checked here (before any request) and applies to the watch.
    info = await state.api.Template.buildInBackground(check.template, check.name, {
      ...connection(), ...registryOption(), ...check.options, ...buildCallbacks(), signal: controller.signal,
    })
  } catch (e) {
    concludeError(e, controller)
    return
  }
  setRunning(null)
  const left = timeoutMs ? Math.max(1, timeoutMs - (Date.now() - started)) : undefined
  watch(info.templateId, info.buildId, { template: check.template, timeoutMs: left, requestedAt: started })
}

/**
 * Follows a build with Template.waitForBuild from its first log entry to its end.
 * Any tab (or a reload) with ?templateId=…&buildId=… in its address watches the
 * same build; retries and polling are the package's. `requestedAt`: this tab just
 * requested the build, so its log (which names the template and build) and its
 * clock go on; `template`: the one it built, for step progress.
 */
export async function watch(templateId, buildId, { template, timeoutMs, requestedAt } = {}) {
  if (state.build.running) return
  const b = state.build
  const controller = new AbortController()
  Object.assign(b, { templateId, buildId, name: '' })
  if (b.lastAction !== 'background') b.lastAction = 'watch'
  setRunning('watch', controller)
  resetOutcome()
  if (!requestedAt) clearLog()
  setPhase('waiting')
  setAddress(true)
  renderBanner()
  startClock(requestedAt)
  keepFocus($('#cancel'))
  let first = !requestedAt
  const callbacks = buildCallbacks()
  try {
    // With the template (this tab requested the build) the package reports each
    // step; a watch from a link or a reload has none, so it shows the log and phase.
    await state.api.Template.waitForBuild({ templateId, buildId }, {
      ...connection(),
      template,
      logsOffset: 0,
      signal: controller.signal,
      timeoutMs,
      onBuildProgress: callbacks.onBuildProgress,
      onBuildLogs: (entry) => {
        // The clock counts from the build's first entry, also after a reload.
        if (first) {
          first = false
          const t0 = entry.timestamp
          if (t0 instanceof Date && !isNaN(t0)) startClock(t0.getTime())
        }
        // The service logs nothing before the build runs.
        if (RUNNING_PHASES.includes(b.phase) && b.phase !== 'building') setPhase('building')
        appendLog(entry)
      },
    })
    conclude('ready', { withEndMarker: true })
  } catch (e) {
    concludeError(e, controller, { watching: true })
  }
}

/**
 * Cancel / Stop watching: aborts the package's call. For a build the package says
 * what happened on the server (AbortError.serverBuild), shown by the outcome.
 */
export function cancel() {
  const { controller, running } = state.build
  if (!controller || controller.signal.aborted) return
  // A build may take a moment to answer (with deleteOnAbort the package waits for the
  // server's reply to delete what it created): the button says the click was taken.
  if (running !== 'watch') {
    $('#cancel').textContent = 'Cancelling…'
    $('#cancel').disabled = true
  }
  controller.abort()
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
