// The templates list: Template.list (a paginator, "Load more" while it hasNext),
// delete (two clicks), "Use as base", tags and sandbox shortcuts.
import { $, el, say, keepFocus, idWithCopy } from './dom.js'
import { state } from './state.js'
import { connection } from './connection.js'
import { explain } from './errors.js'
import { dateTime } from './time.js'

/** Set by app.js: open a template's tags, start a sandbox, use as base. */
export const templateHooks = { showTags: () => {}, startSandbox: () => {}, useAsBase: () => {} }

export async function refreshList(more = false) {
  const out = $('#list-result')
  const t = state.templates
  try {
    if (!more) {
      t.paginator = state.api.Template.list(connection())
      t.items = []
    }
    say(out, 'Loading…')
    const { templates: items } = await t.paginator.nextPage()
    if (!more) t.items = []
    t.items.push(...items)
    renderList()
    $('#list-more').hidden = !t.paginator.hasNext
    const n = t.items.length
    say(out, n ? `${n} template${n === 1 ? '' : 's'}` : 'No templates yet: build one above.')
  } catch (e) {
    say(out, explain(e), 'error')
  }
}

/** Re-renders the rows from state (also after a time-zone change). */
export function renderList() {
  $('#templates tbody').replaceChildren(...state.templates.items.map(templateRow))
  $('#templates-updated').textContent = 'Updated'
}

const refOf = (t) => (t.names && t.names[0]) || (t.aliases && t.aliases[0]) || t.templateId

async function remove(t, button) {
  const ref = refOf(t)
  if (state.templates.armedDelete !== t.templateId) {
    state.templates.armedDelete = t.templateId
    button.textContent = 'Confirm delete'
    setTimeout(() => {
      if (state.templates.armedDelete === t.templateId) state.templates.armedDelete = ''
      if (button.isConnected) button.textContent = 'Delete'
    }, 4000)
    return
  }
  state.templates.armedDelete = ''
  const index = state.templates.items.indexOf(t)
  try {
    await state.api.Template.delete(t.templateId, connection())
    await refreshList()
    say($('#list-result'), `Deleted ${ref}.`, 'ok')
    // Focus goes to the row that took the deleted one's place, else to Refresh.
    const rows = $('#templates tbody').children
    const next = rows[Math.min(index, rows.length - 1)]
    keepFocus((next && next.querySelector('button')) || $('#list-refresh'))
  } catch (e) {
    say($('#list-result'), explain(e), 'error')
  }
}

function templateRow(t) {
  const name = (t.names || [])[0] || ''
  const ref = refOf(t)
  const del = el('button', { type: 'button', class: 'danger', text: 'Delete', 'aria-label': `Delete template ${ref}` })
  del.addEventListener('click', () => remove(t, del))
  return el('tr', { 'data-template-id': t.templateId },
    el('td', { text: (t.names || []).join(', ') || '—' }),
    el('td', {}, idWithCopy(t.templateId, 'template ID')),
    el('td', {}, el('span', { class: 'badge', 'data-status': t.buildStatus === 'error' ? 'failed' : t.buildStatus || '', text: t.buildStatus === 'error' ? 'failed' : t.buildStatus || '?' })),
    el('td', { 'data-label': 'builds', text: String(t.buildCount ?? '') }),
    el('td', { 'data-label': 'updated' }, el('time', { datetime: t.updatedAt instanceof Date ? t.updatedAt.toISOString() : null, text: dateTime(t.updatedAt) })),
    el('td', { class: 'actions' },
      el('button', { type: 'button', text: 'Tags', 'aria-label': `Tags of ${ref}`, onclick: () => templateHooks.showTags(name || t.templateId) }),
      el('button', { type: 'button', text: 'Sandbox', 'aria-label': `Start a sandbox from ${ref}`, disabled: t.buildStatus !== 'ready', onclick: () => templateHooks.startSandbox(t.templateId) }),
      el('button', { type: 'button', text: 'Use as base', 'aria-label': `Use ${ref} as the base`, onclick: () => templateHooks.useAsBase(ref) }),
      del))
}

export function initTemplates() {
  $('#list-refresh').addEventListener('click', () => refreshList())
  $('#list-more').addEventListener('click', () => refreshList(true))
}
