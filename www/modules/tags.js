// Tags: Template.getTags, Template.assignTags('name:tag', tags), Template.removeTags.
// Three small forms, so Enter does what the form's button does.
import { $, el, say, keepFocus, acceptPastedLines } from './dom.js'
import { state } from './state.js'
import { connection } from './connection.js'
import { explain } from './errors.js'
import { dateTime } from './time.js'
import { splitList, tagProblem } from './template-form.js'

const out = () => $('#tags-result')

/** Tags typed by the user, or an error naming the first bad one (whole, as typed). */
function typedTags(field) {
  const tags = splitList($(field).value)
  if (!tags.length) return { error: 'Enter one or more tags, separated by commas.' }
  for (const t of tags) {
    const p = tagProblem(t)
    if (p) return { error: p }
  }
  return { tags }
}

function fail(field, message) {
  say(out(), message, 'error')
  $(field).focus()
}

/** Lists the tags of the template in the "Template" field; pre-fills the assign source from them. */
export async function listTags({ prefill = false } = {}) {
  const template = $('#tags-template').value.trim()
  const list = $('#tags')
  if (!template) return fail('#tags-template', 'Enter a template name or ID.')
  state.tags.template = template
  try {
    state.tags.list = await state.api.Template.getTags(template, connection())
    renderTags()
    const n = state.tags.list.length
    say(out(), n ? `${n} tag${n === 1 ? '' : 's'} on ${template}` : `${template} has no tags.`, 'ok')
    // Assign needs an existing `name:tag` as its source: take one the server listed.
    if (prefill || !$('#tags-target').value.trim()) {
      const first = state.tags.list[0]
      $('#tags-target').value = first ? `${template}:${first.tag}` : ''
    }
  } catch (e) {
    state.tags.list = []
    list.replaceChildren()
    say(out(), explain(e), 'error')
  }
}

export function renderTags() {
  const template = state.tags.template
  $('#tags').replaceChildren(...state.tags.list.map((tag, i) => el('li', {},
    el('code', { text: tag.tag }),
    el('span', { class: 'muted small', text: ` build ${tag.buildId} · ${dateTime(tag.createdAt)} ` }),
    el('button', { type: 'button', class: 'icon danger', text: '✕', 'aria-label': `Remove tag ${tag.tag}`, onclick: () => removeTags(template, [tag.tag], i) }))))
}

async function removeTags(template, tags, index = 0) {
  try {
    // removeTags takes the template's name; an ID is resolved to its first name.
    let name = template
    try { name = (await state.api.Template.get(template, connection())).names[0] || template } catch { /* keep what was typed */ }
    await state.api.Template.removeTags(name, tags, connection())
    await listTags()
    say(out(), `Removed ${tags.join(', ')} from ${name}.`, 'ok')
    const buttons = $('#tags').querySelectorAll('button')
    keepFocus(buttons[Math.min(index, buttons.length - 1)] || $('#tags-template'))
  } catch (e) {
    say(out(), explain(e), 'error')
  }
}

/** Opens a template's tags (the templates list's "Tags" button). */
export async function showTagsOf(ref) {
  $('#tags-template').value = ref
  $('#tags-target').value = ''
  await listTags({ prefill: true })
  $('#tags-title').scrollIntoView({ block: 'start' })
  $('#tags-title').focus()
}

export function initTags() {
  acceptPastedLines($('#tags-names'))
  acceptPastedLines($('#tags-remove-names'))
  $('#tags-list-form').addEventListener('submit', (e) => { e.preventDefault(); listTags() })
  $('#tags-assign-form').addEventListener('submit', async (e) => {
    e.preventDefault()
    const target = $('#tags-target').value.trim()
    if (!target) return fail('#tags-target', 'Enter the source as name:tag (an existing tag of the template).')
    const { tags, error } = typedTags('#tags-names')
    if (error) return fail('#tags-names', error)
    try {
      const r = await state.api.Template.assignTags(target, tags, connection())
      if (!$('#tags-template').value.trim()) $('#tags-template').value = target.replace(/:[^:]*$/, '')
      await listTags()
      say(out(), `Assigned ${r.tags.join(', ')} to build ${r.buildId}.`, 'ok')
    } catch (e) {
      say(out(), explain(e), 'error')
    }
  })
  $('#tags-remove-form').addEventListener('submit', (e) => {
    e.preventDefault()
    const template = $('#tags-template').value.trim() || $('#tags-target').value.trim().replace(/:[^:]*$/, '')
    if (!template) return fail('#tags-template', 'Enter the template name above.')
    const { tags, error } = typedTags('#tags-remove-names')
    if (error) return fail('#tags-remove-names', error)
    removeTags(template, tags)
  })
}
