// The build log: lines in arrival order (state.log.lines), level colours, times in
// the page's zone, filter by level, search, download as text, auto-follow that
// pauses when the user scrolls up, and the failing step's lines highlighted.
import { $, el } from './dom.js'
import { state } from './state.js'
import { clockTime, zoneLabel } from './time.js'
import { currentStep } from './progress.js'

const LEVELS = ['debug', 'info', 'warn', 'error']
const rank = (level) => Math.max(0, LEVELS.indexOf(level))
const view = () => $('#log')

const isAtBottom = (v) => v.scrollTop + v.clientHeight >= v.scrollHeight - 4

function visible(line) {
  if (line.end || line.outcome) return true
  if (rank(line.level) < rank(state.log.minLevel)) return false
  return !state.log.query || line.message.toLowerCase().includes(state.log.query.toLowerCase())
}

/** The message with the search matches marked (as text nodes and <mark>s, never HTML). */
function messageNodes(message) {
  const q = state.log.query
  if (!q) return [message]
  const out = []
  const lower = message.toLowerCase()
  const needle = q.toLowerCase()
  let at = 0
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, at)) {
    out.push(message.slice(at, i), el('mark', { text: message.slice(i, i + q.length) }))
    at = i + q.length
  }
  out.push(message.slice(at))
  return out
}

/** Lines longer than this show their start and a button for the rest (searches show them whole). */
const LONG_LINE = 600

function messageSpan(line) {
  const span = el('span', { class: 'msg' })
  if (line.message.length <= LONG_LINE || state.log.query || line.expanded) {
    span.append(...messageNodes(line.message))
    return span
  }
  const more = el('button', {
    type: 'button', class: 'more small',
    text: `show all ${line.message.length} characters`,
    onclick: () => {
      line.expanded = true
      span.replaceWith(messageSpan(line))
    },
  })
  span.append(line.message.slice(0, LONG_LINE * 0.5), '… ', more)
  return span
}

function lineNode(line) {
  const classes = ['line', `lvl-${line.level}`]
  if (line.end) classes.push('end')
  if (line.outcome) classes.push('outcome', `outcome-${line.outcome}`)
  if (line.step && line.step === state.log.failedStep) classes.push('failed-step')
  const ts = line.entry.timestamp
  return el('div', { class: classes.join(' '), 'data-step': line.step || null, hidden: !visible(line) },
    el('time', { class: 'ts', datetime: ts instanceof Date && !isNaN(ts) ? ts.toISOString() : null, text: clockTime(ts) }),
    el('span', { class: 'lvl', text: line.end ? '' : line.level }),
    messageSpan(line))
}

function showCount() {
  const total = state.log.lines.length
  const shown = state.log.lines.filter(visible).length
  $('#log-count').textContent = total === shown ? `${total} line${total === 1 ? '' : 's'}` : `${shown} of ${total} lines shown`
  $('#log-download').disabled = !total
}

function scrollIfFollowing() {
  if (state.log.follow) view().scrollTop = view().scrollHeight
}

/** Re-renders every line (after a filter, search or time-zone change). */
export function renderLog() {
  view().replaceChildren(...state.log.lines.map(lineNode))
  $('#log-zone').textContent = `Times: ${zoneLabel()}`
  showCount()
  scrollIfFollowing()
}

export function clearLog() {
  state.log.lines = []
  state.log.failedStep = ''
  state.log.follow = true
  $('#log-follow').hidden = true
  renderLog()
}

/**
 * Adds an entry: a `LogEntry` from the package or the server. The package's
 * `LogEntryEnd` only says the log is over (it comes after failures too), so it is
 * shown as a neutral end marker; the outcome line after it says how the build ended.
 * A line that arrives while a build runs belongs to the step that started last.
 */
export function appendLog(entry, { outcome = '' } = {}) {
  const api = state.api
  const end = entry instanceof api.LogEntryEnd
  const message = end ? 'end of build log' : api.stripAnsi(String(entry.message))
  const level = String(entry.level || 'info').toLowerCase()
  const step = end || outcome || !state.build.running ? '' : currentStep()
  const line = { entry, level, message, end, outcome, step }
  state.log.lines.push(line)
  view().append(lineNode(line))
  showCount()
  scrollIfFollowing()
}

/** A line written by the page itself (cancel notes, outcomes), as a package `LogEntry`. */
export function notePage(level, message, opts) {
  appendLog(new state.api.LogEntry(new Date(), level, message), opts)
}

/**
 * Marks the failing step's lines; returns the first one, if any. Lines carry their
 * step when its progress was reported; otherwise (a build watched without its
 * template) the lines are the ones that end the log and equal the error's `logTail`.
 */
export function highlightStep(step, logTail = []) {
  const lines = state.log.lines
  if (step && !lines.some((l) => l.step === step) && logTail.length) {
    const tail = logTail.map((m) => state.api.stripAnsi(String(m)))
    let i = lines.length - 1
    for (let k = tail.length - 1; k >= 0 && i >= 0; k--, i--) {
      while (i >= 0 && (lines[i].end || lines[i].outcome)) i--
      if (i < 0 || lines[i].message !== tail[k]) break
      lines[i].step = step
    }
  }
  state.log.failedStep = step || ''
  let first = null
  const nodes = view().children
  lines.forEach((line, n) => {
    const node = nodes[n]
    const hit = !!step && line.step === step
    if (hit) node.dataset.step = step
    node.classList.toggle('failed-step', hit)
    if (hit && !first) first = node
  })
  return first
}

/** Scrolls the log to the failing step's first line and stops following. */
export function showFailedStepLines() {
  const first = view().querySelector('.line.failed-step')
  if (!first) return
  state.log.follow = false
  $('#log-follow').hidden = false
  view().scrollTop = first.offsetTop - view().offsetTop - 8
  view().focus()
}

/** Moves the log into view in the one-column layout, where it sits below the long form. */
export function revealLog() {
  if (!window.matchMedia('(max-width: 959px)').matches) return
  const wrap = $('#log-section')
  const r = wrap.getBoundingClientRect()
  if (r.top < 0 || r.top > window.innerHeight * 0.6) wrap.scrollIntoView({ block: 'start' })
}

/** The whole log as text, one `LogEntry.toString()` line per entry. */
export function logAsText() {
  const { LogEntry } = state.api
  return state.log.lines.map((l) => (l.end ? new LogEntry(l.entry.timestamp, 'debug', '--- end of build log ---') : l.entry).toString()).join('\n') + '\n'
}

function download() {
  const { buildId, name } = state.build
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
  const file = `build-${(buildId || name || 'log').replace(/[^\w.-]/g, '_')}-${stamp}.log`
  const url = URL.createObjectURL(new Blob([logAsText()], { type: 'text/plain' }))
  const a = el('a', { href: url, download: file, hidden: true })
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}

export function initLogView(onZoneToggle) {
  const v = view()
  v.addEventListener('scroll', () => {
    state.log.follow = isAtBottom(v)
    $('#log-follow').hidden = state.log.follow
  })
  $('#log-follow').addEventListener('click', () => {
    state.log.follow = true
    v.scrollTop = v.scrollHeight
    $('#log-follow').hidden = true
    v.focus()
  })
  $('#log-level').addEventListener('change', (e) => { state.log.minLevel = e.target.value; renderLog() })
  $('#log-search').addEventListener('input', (e) => { state.log.query = e.target.value; renderLog() })
  $('#log-tools').addEventListener('submit', (e) => e.preventDefault())
  $('#log-download').addEventListener('click', download)
  $('#log-zone').addEventListener('click', () => {
    state.view.timeZone = state.view.timeZone === 'UTC' ? 'local' : 'UTC'
    renderLog()
    onZoneToggle()
  })
  $('#jump-log').addEventListener('click', () => { $('#log-section').scrollIntoView({ block: 'start' }); v.focus() })
  renderLog()
}
