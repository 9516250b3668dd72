// The plan of a build, before building (Template.plan): how many steps it has, the
// files and bytes each COPY would upload, and which archives the server already has.
// The package computes all of it; the page only shows it, and marks it stale when
// the form changes.
import { $, el, humanSize, keepFocus } from './dom.js'
import { state } from './state.js'
import { connection, registryOption } from './connection.js'
import { explain } from './errors.js'
import { checkFormForBuild, focusFirstProblem } from './form-check.js'

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`

function onServerText(c) {
  if (c.onServer === null) return 'new template'
  return c.onServer ? 'yes' : 'no'
}

function render() {
  const out = $('#plan-result')
  const { result: p, stale } = state.plan
  if (!p) return
  const numbered = p.steps.filter((s) => s.step !== 'base' && s.step !== 'finalize').length
  const onServer = p.copies.filter((c) => c.onServer).length
  const summary = el('p', { id: 'plan-summary' },
    el('strong', { text: p.name }), ' ',
    p.templateId ? el('span', { text: `(template ${p.templateId})` }) : el('span', { text: '(a new template)' }),
    el('br'),
    el('span', { text: `${plural(p.steps.length, 'step')} (base, ${numbered} numbered, finalize) · ${plural(p.copies.length, 'COPY')}` }),
    el('br'),
    el('span', { id: 'plan-uploads', text: `To upload: ${plural(p.uploads, 'archive')}, ${humanSize(p.uploadBytes)} before gzip · already on the server: ${onServer}` }))
  const rows = p.copies.map((c) => el('tr', { 'data-step': c.step },
    el('td', { text: c.step }),
    el('td', {}, el('code', { text: c.src }), ' → ', el('code', { text: c.dest })),
    el('td', { class: 'num', text: String(c.files) }),
    el('td', { class: 'num', text: humanSize(c.bytes) }),
    el('td', { text: onServerText(c) }),
    el('td', { text: c.upload ? 'upload' : 'reuse' })))
  const table = p.copies.length
    ? el('div', { class: 'table-wrap' }, el('table', { id: 'plan-copies' },
      el('caption', { class: 'sr-only', text: 'COPY steps of the plan' }),
      el('thead', {}, el('tr', {}, ...['Step', 'Files', 'Count', 'Size', 'On the server', 'Build would'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...rows)))
    : el('p', { class: 'muted small', text: 'No COPY steps: nothing to upload.' })
  out.replaceChildren(summary, table)
  if (stale) out.append(el('p', { class: 'field-msg notice', id: 'plan-stale', text: 'The form changed since this plan: plan again to see the current one.' }))
  out.classList.toggle('stale', stale)
}

/** Plans the build the form describes (checked first, as a build would be). */
export async function runPlan() {
  if (state.plan.running) return
  const out = $('#plan-result')
  const button = $('#plan-run')
  const check = await checkFormForBuild()
  if (check.errors.length) {
    focusFirstProblem(check.errors)
    return
  }
  state.plan.running = true
  button.disabled = true
  out.replaceChildren(el('p', { class: 'muted', text: 'Planning…' }))
  try {
    state.plan.result = await state.api.Template.plan(check.template, check.name, { ...connection(), ...registryOption() })
    state.plan.stale = false
    render()
  } catch (e) {
    state.plan.result = null
    out.replaceChildren(el('p', { class: 'error-text', text: explain(e) }))
  } finally {
    state.plan.running = false
    button.disabled = false
    keepFocus(button)
  }
}

/** The form changed: a plan on screen no longer describes it. */
export function markPlanStale() {
  if (!state.plan.result || state.plan.stale || state.plan.running) return
  state.plan.stale = true
  render()
}

export function initPlanView() {
  $('#plan-run').addEventListener('click', runPlan)
}
