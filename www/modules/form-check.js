// Checks the form as the user edits it and before a build: every problem (and the
// lower-case name notice) is shown the same way, under its field and in a summary
// next to the Build buttons. Also keeps the Dockerfile preview current.
import { $, $$, el } from './dom.js'
import { state } from './state.js'
import { templateFromForm, buildSettings } from './template-form.js'

const byPosition = (a, b) => (a.node.compareDocumentPosition(b.node) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1)

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

/**
 * Constructs the template and checks the settings; shows every problem. Returns
 * `{ template, name, options, errors }`; the caller owns `template` when it asks to
 * keep it (and frees it), otherwise it is freed here.
 */
export function checkForm({ keep = false } = {}) {
  const { template, issues } = templateFromForm()
  const settings = buildSettings()
  const all = [...issues, ...settings.issues]
  state.form.issues = all
  const placed = render(all)
  preview(template)
  const errors = placed.filter((i) => i.severity === 'error')
  const handOver = keep && !errors.length
  if (!handOver && template && typeof template.free === 'function') template.free()
  return { template: handOver ? template : null, name: settings.name, options: settings.options, errors }
}

/** Re-checks shortly after the last edit. */
export function scheduleCheck() {
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
