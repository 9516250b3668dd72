// Checks the form as the user edits it and before a build: every problem (and the
// lower-case name notice) is shown the same way, under its field and in a summary
// next to the Build buttons. Also keeps the Dockerfile preview current.
//
// COPY sources are checked by the package when the files are needed: the page asks
// it with Template.toJSON (which hashes the files as a build would, without any
// request), once per copy step and for a Dockerfile's COPY lines, so each missing
// source is reported under the field that names it. The check runs again only when
// the files or the sources change.
import { $, $$, el } from './dom.js'
import { state } from './state.js'
import { templateFromForm, buildSettings } from './template-form.js'
import { stepSelector } from './definition.js'

const byPosition = (a, b) => (a.node.compareDocumentPosition(b.node) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1)

/** Hooks set by app.js: runs after every edit (the plan view marks itself stale). */
export const checkHooks = { changed: () => {} }

function clearMessages() {
  for (const m of $$('.field-msg')) m.remove()
  for (const f of $$('[data-issue-field]')) {
    f.removeAttribute('aria-invalid')
    f.removeAttribute('aria-describedby')
    delete f.dataset.issueField
  }
}

function render(issues) {
  clearMessages()
  const placed = issues
    .map((issue) => ({ ...issue, node: $(issue.field) }))
    .filter((i) => i.node)
    .sort(byPosition)
  placed.forEach((issue, n) => {
    const id = `field-msg-${n}`
    const msg = el('p', { class: `field-msg ${issue.severity}`, id, text: `${issue.where}: ${issue.message}` })
    issue.node.insertAdjacentElement('afterend', msg)
    issue.node.dataset.issueField = ''
    if (issue.severity === 'error') issue.node.setAttribute('aria-invalid', 'true')
    const ids = (issue.node.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
    issue.node.setAttribute('aria-describedby', [...ids, id].join(' '))
  })
  const summary = $('#form-issues')
  const errors = placed.filter((i) => i.severity === 'error')
  summary.replaceChildren()
  if (placed.length) {
    summary.append(el('p', { text: errors.length ? `${errors.length} problem${errors.length === 1 ? '' : 's'} to fix before building:` : 'Note:' }))
    summary.append(el('ul', {}, ...placed.map((i) => el('li', {},
      el('button', { type: 'button', class: `link field-msg-link ${i.severity}`, text: `${i.where}: ${i.message}`, onclick: () => $(i.field)?.focus() })))))
  }
  summary.hidden = !placed.length
  return placed
}

function preview(template) {
  const out = $('#preview')
  if (!template) {
    out.textContent = '# The Dockerfile appears here once the problems marked in the form are fixed.'
    out.classList.add('muted')
    return
  }
  try {
    out.textContent = state.api.Template.toDockerfile(template)
    out.classList.remove('muted')
  } catch (e) {
    // A valid template can still lack a Dockerfile form (e.g. one based on a template).
    out.textContent = `# No Dockerfile preview: ${e.message}`
    out.classList.add('muted')
  }
}

/** What the COPY-source check depends on: the files, the copy steps, a Dockerfile's text. */
function copyKey() {
  const copies = state.form.steps.filter((s) => s.type === 'copy').map((s) => [s.id, s.src, s.dest])
  const dockerfile = $('#base-kind').value === 'dockerfile' ? $('#base-dockerfile').value : ''
  return JSON.stringify([state.form.filesVersion, copies, dockerfile])
}

/** Asks the package whether each COPY source matches a file; the problems, by field. */
async function copyIssues() {
  const { Template } = state.api
  const issues = []
  const check = async (field, where, make) => {
    let t
    try {
      t = make(Template({ fileContext: Object.fromEntries(state.form.files) }))
    } catch {
      return // the builder's own refusal is reported by templateFromForm
    }
    try {
      await Template.toJSON(t)
    } catch (e) {
      issues.push({ field, where, severity: 'error', message: `${e.message || e}: add the files under "Files for copy" (pick or drop them), or fix the path.` })
    }
  }
  for (const [i, s] of state.form.steps.entries()) {
    if (s.type === 'copy') await check(stepSelector(s, 'src'), `Step ${i + 1} (copy)`, (t) => t.fromBaseImage().copy(s.src, s.dest))
  }
  if ($('#base-kind').value === 'dockerfile') {
    await check('#base-dockerfile', 'Base', (t) => t.fromDockerfile($('#base-dockerfile').value))
  }
  return issues
}

/** The current COPY problems, when the last check is still about the current form. */
const knownCopyIssues = () => (state.form.copyCheck.key === copyKey() ? state.form.copyCheck.issues : [])

/** Runs the COPY check when its inputs changed; shows its problems with the others. */
async function refreshCopyCheck() {
  const key = copyKey()
  if (state.form.copyCheck.key === key) return state.form.copyCheck.issues
  const seq = ++state.form.checkSeq
  const issues = await copyIssues()
  // Dropped when the form changed meanwhile (a newer check is on its way).
  if (seq !== state.form.checkSeq || key !== copyKey()) return null
  state.form.copyCheck = { key, issues }
  render([...state.form.issues, ...issues])
  return issues
}

/**
 * Constructs the template and checks the settings; shows every problem. Returns
 * `{ template, name, options, errors }`; `template` is null while there are errors.
 */
export function checkForm() {
  const { template, issues } = templateFromForm()
  const settings = buildSettings()
  state.form.issues = [...issues, ...settings.issues]
  const placed = render([...state.form.issues, ...knownCopyIssues()])
  preview(template)
  const errors = placed.filter((i) => i.severity === 'error')
  if (template && !issues.length) refreshCopyCheck()
  return { template: errors.length ? null : template, name: settings.name, options: settings.options, errors }
}

/** The check before a build: the form, then (awaited) the COPY sources. */
export async function checkFormForBuild() {
  // Checked now; a re-check still pending from the last keystroke would also wipe a
  // problem the package reports for this build (e.g. the deadline) once it is shown.
  clearTimeout(state.form.previewTimer)
  const check = checkForm()
  if (!check.template) return check
  await refreshCopyCheck()
  const copy = knownCopyIssues()
  if (!copy.length) return check
  const errors = render([...state.form.issues, ...copy]).filter((i) => i.severity === 'error')
  return { ...check, template: null, errors }
}

/** Re-checks shortly after the last edit. */
export function scheduleCheck() {
  checkHooks.changed()
  clearTimeout(state.form.previewTimer)
  state.form.previewTimer = setTimeout(() => checkForm(), 120)
}

/** Puts focus on the first field with a problem (the Build buttons call this). */
export function focusFirstProblem(errors) {
  const first = errors[0]
  if (!first) return
  first.node.scrollIntoView({ block: 'center' })
  first.node.focus()
}

/** Shows a problem the package found when a build was asked for, under its field. */
export function showFieldProblem(field, where, message) {
  const placed = render([...state.form.issues, ...knownCopyIssues(), { field, where, message, severity: 'error' }])
  focusFirstProblem(placed.filter((i) => i.field === field))
}
