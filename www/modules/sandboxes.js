// Sandboxes started from a ready template: Sandbox.create and sandbox.kill().
import { $, el, say, keepFocus, idWithCopy } from './dom.js'
import { state } from './state.js'
import { connection } from './connection.js'
import { explain } from './errors.js'

export async function startSandbox(templateId) {
  const out = $('#sbx-result')
  say(out, `Starting a sandbox from ${templateId}…`)
  try {
    const sandbox = await state.api.Sandbox.create(templateId, connection())
    state.sandbox.running.set(sandbox.sandboxId, { sandbox, templateId })
    renderSandboxes()
    say(out, `Sandbox ${sandbox.sandboxId} is running.`, 'ok')
  } catch (e) {
    say(out, explain(e), 'error')
  }
}

async function kill(id) {
  const out = $('#sbx-result')
  const index = [...state.sandbox.running.keys()].indexOf(id)
  try {
    await state.sandbox.running.get(id).sandbox.kill()
    state.sandbox.running.delete(id)
    renderSandboxes()
    say(out, `Sandbox ${id} killed.`, 'ok')
    const buttons = $('#sandboxes').querySelectorAll('button.danger')
    keepFocus(buttons[Math.min(index, buttons.length - 1)] || $('#sbx-title'))
  } catch (e) {
    say(out, explain(e), 'error')
  }
}

function renderSandboxes() {
  $('#sandboxes').replaceChildren(...[...state.sandbox.running].map(([id, { templateId }]) => el('li', { 'data-sandbox-id': id },
    idWithCopy(id, 'sandbox ID'),
    el('span', { class: 'muted small', text: ` from ${templateId} ` }),
    el('button', { type: 'button', class: 'danger', text: 'Kill', 'aria-label': `Kill sandbox ${id}`, onclick: () => kill(id) }))))
}
