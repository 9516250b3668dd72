// Step progress as build consoles show it, fed by the package's progress events
// (`onBuildProgress` of Template.build and Template.waitForBuild) and upload progress
// (`onUploadProgress`): "step 19 of 122" with a bar, each step's state and duration
// (cached steps marked), and a final state that clears the step label. The page reads
// no step out of the log text: which step a log line belongs to is the step whose
// "started" event came last (the package delivers each event just before the entry
// that caused it).
import { $, el } from './dom.js'
import { state } from './state.js'

const P = () => state.progress

/** `156 ms`, `1.2 s`, `2 min 5 s`. */
export function duration(ms) {
  if (!(ms >= 0)) return ''
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`
}

const counts = () => {
  const steps = [...P().steps.values()]
  return {
    done: steps.filter((s) => s.state === 'finished').length,
    cached: steps.filter((s) => s.state === 'finished' && s.cached).length,
    failed: steps.find((s) => s.state === 'failed'),
  }
}

function stepNode(s) {
  const total = P().total
  const what = s.state === 'failed' ? 'failed'
    : s.state === 'started' ? 'running'
      : s.cached ? 'cached' : duration(s.durationMs)
  return el('li', { 'data-step': s.step, 'data-state': s.state, 'data-cached': s.cached ? 'true' : null, class: `step-row ${s.state}${s.cached ? ' cached' : ''}` },
    el('span', { class: 'step-pos', text: `${s.index}/${total}` }),
    el('code', { class: 'step-desc', text: s.description || `step ${s.step}` }),
    el('span', { class: 'step-time', text: what }))
}

function render() {
  const p = P()
  const { done, cached, failed } = counts()
  const bar = $('#build-progress')
  bar.hidden = !p.total && !state.build.running
  if (p.total) {
    bar.max = p.total
    bar.value = done
  } else {
    bar.removeAttribute('value') // indeterminate until the first step reports
  }
  const text = p.total ? `${done} of ${p.total} done${cached ? ` · ${cached} cached` : ''}${failed ? ' · 1 failed' : ''}` : ''
  $('#progress-counts').textContent = text
  $('#steps-summary').textContent = text ? `(${text})` : ''
  $('#steps-panel').hidden = !p.steps.size
}

/** Shows the step the build is at: "3 of 6: runCmd(…)", or what is being uploaded. */
function showLabel() {
  const p = P()
  const cur = p.steps.get(p.current)
  if (cur && cur.state === 'started') {
    $('#current-step').textContent = `${cur.index} of ${p.total}`
    $('#current-step-desc').textContent = cur.description
  } else if (p.upload) {
    const u = p.upload
    const pct = u.bytesTotal ? Math.floor((100 * u.bytesDone) / u.bytesTotal) : 100
    $('#current-step').textContent = 'upload'
    $('#current-step-desc').textContent = `${u.phase === 'hash' ? 'hashing' : 'archiving'} ${u.src} (${pct}%)`
  }
}

/** One `BuildProgress` event of the package. */
export function onBuildProgress(ev) {
  const p = P()
  p.total = ev.total
  p.elapsedMs = ev.elapsedMs
  if (ev.state === 'started') p.current = ev.step
  const s = { step: ev.step, index: ev.index, description: ev.description, state: ev.state, cached: ev.cached, durationMs: ev.durationMs }
  const list = $('#step-list')
  const old = list.querySelector(`li[data-step="${CSS.escape(ev.step)}"]`)
  const node = stepNode(s)
  if (old) old.replaceWith(node)
  else list.append(node)
  p.steps.set(ev.step, s)
  // Keeps the running step in view inside the list (not the page: it must not jump).
  if (ev.state === 'started') list.scrollTop = Math.max(0, node.offsetTop - list.clientHeight / 2)
  showLabel()
  render()
}

/** One `UploadProgress` event (hashing and archiving COPY sources). */
export function onUploadProgress(u) {
  P().upload = u
  showLabel()
}

/** The step a log line arriving now belongs to ('' before the first step). */
export const currentStep = () => P().current

/** The description of a step, when its progress was seen. */
export const stepDescription = (step) => (P().steps.get(step) || {}).description || ''

/** The build ended: the step label is cleared; the counts say how far it got. */
export function finishProgress() {
  const p = P()
  p.upload = null
  $('#current-step').textContent = '–'
  $('#current-step-desc').textContent = ''
  render()
  const bar = $('#build-progress')
  bar.hidden = !p.total
  if (counts().failed) bar.dataset.outcome = 'failed'
}

export function resetProgress() {
  Object.assign(P(), { total: 0, steps: new Map(), current: '', elapsedMs: 0, upload: null })
  delete $('#build-progress').dataset.outcome
  $('#step-list').replaceChildren()
  $('#current-step').textContent = '–'
  $('#current-step-desc').textContent = ''
  render()
}

export function initProgress() {
  // Wide screens show the step list open; on a phone it is one tap away.
  $('#steps-panel').open = window.matchMedia('(min-width: 960px)').matches
  resetProgress()
}
