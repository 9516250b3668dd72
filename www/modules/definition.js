// The template form: base, steps (add, edit, reorder, remove), files for `copy`,
// start and ready commands, build settings. Steps and files live in state.form;
// the other fields are plain inputs read when the template is constructed.
import { $, el, keepFocus, acceptPastedLines, humanSize } from './dom.js'
import { state } from './state.js'

export const BASES = {
  python: { caption: 'Python version', value: '3.12' },
  node: { caption: 'Node variant', value: 'lts' },
  debian: { caption: 'Debian variant', value: 'stable' },
  ubuntu: { caption: 'Ubuntu variant', value: '22.04' },
  image: { caption: 'Image', value: 'python:3.12' },
  template: { caption: 'Template name or ID', value: 'base' },
  dockerfile: { caption: '', value: '' },
}

const READY = {
  none: { caption: '', value: '' },
  port: { caption: 'Port', value: '8000' },
  url: { caption: 'URL [status]', value: 'http://localhost:8000/' },
  process: { caption: 'Process name', value: 'python' },
  file: { caption: 'File path', value: '/tmp/ready' },
  timeout: { caption: 'Milliseconds', value: '2000' },
  cmd: { caption: 'Shell command', value: 'curl -fs localhost:8000' },
}

/** Fields of each step type: [key, label, kind]. */
export const STEP_FIELDS = {
  runCmd: [['cmd', 'Command (one per line, joined with &&)', 'textarea'], ['user', 'As user (optional)']],
  pipInstall: [['packages', 'Packages (space separated)']],
  npmInstall: [['packages', 'Packages (space separated)'], ['g', 'Global (-g)', 'checkbox']],
  aptInstall: [['packages', 'Packages (space separated)']],
  setEnvs: [['envs', 'KEY=value, one per line', 'textarea']],
  setWorkdir: [['path', 'Directory']],
  setUser: [['user', 'User']],
  gitClone: [['url', 'Repository URL'], ['path', 'Into (optional)'], ['branch', 'Branch (optional)'], ['depth', 'Depth (optional)', 'number']],
  copy: [['src', 'Source (path in the files below)', 'file'], ['dest', 'Destination in the sandbox']],
}

const STEP_DEFAULTS = {
  runCmd: { cmd: 'echo hello', user: '' },
  pipInstall: { packages: 'requests' },
  npmInstall: { packages: 'typescript', g: false },
  aptInstall: { packages: 'curl' },
  setEnvs: { envs: 'APP_ENV=demo' },
  setWorkdir: { path: '/home/user' },
  setUser: { user: 'user' },
  gitClone: { url: 'https://github.com/octocat/Hello-World.git', path: '/home/user/hello', branch: '', depth: '1' },
  copy: { src: '', dest: '/home/user/' },
}

/** Called after every change of the definition (set by initDefinition). */
const hooks = { changed: () => {} }

function addStep(type, fields = STEP_DEFAULTS[type]) {
  const step = { id: state.form.nextStepId++, type, ...fields }
  state.form.steps.push(step)
  return step
}

export function stepSelector(step, field) {
  return `#steps li[data-id="${step.id}"] [data-field="${field}"]`
}

function syncBaseFields() {
  const kind = $('#base-kind').value
  $('#base-value-label').hidden = kind === 'dockerfile'
  $('#base-dockerfile-label').hidden = kind !== 'dockerfile'
  $('#base-inherit-label').hidden = kind !== 'image'
  $('#base-value-caption').textContent = BASES[kind].caption
}

function syncReadyFields() {
  const kind = $('#ready-kind').value
  $('#ready-value-label').hidden = kind === 'none'
  $('#ready-value-caption').textContent = READY[kind].caption
}

/** Puts a template as the base (the templates list's "Use as base"). */
export function useTemplateAsBase(ref) {
  $('#base-kind').value = 'template'
  syncBaseFields()
  $('#base-value').value = ref
  hooks.changed()
  $('#base-value').focus()
}

function renderSteps(focus) {
  const { steps } = state.form
  const list = $('#steps')
  list.replaceChildren()
  steps.forEach((step, i) => {
    const fields = STEP_FIELDS[step.type].map(([key, label, kind]) => {
      const onInput = (e) => { step[key] = e.target.type === 'checkbox' ? e.target.checked : e.target.value }
      let input
      if (kind === 'textarea') input = el('textarea', { rows: 2, spellcheck: 'false', value: step[key] ?? '', oninput: onInput })
      else if (kind === 'checkbox') input = el('input', { type: 'checkbox', checked: !!step[key], onchange: onInput })
      else input = el('input', { type: kind === 'number' ? 'number' : 'text', spellcheck: 'false', value: step[key] ?? '', oninput: onInput, list: kind === 'file' ? 'file-paths' : null })
      input.dataset.field = key
      return el('label', { class: kind === 'checkbox' ? 'check' : kind === 'textarea' ? 'wide' : '' }, kind === 'checkbox' ? input : label, kind === 'checkbox' ? ` ${label}` : input)
    })
    const move = (delta) => () => {
      const j = i + delta
      if (j < 0 || j >= steps.length) return
      ;[steps[i], steps[j]] = [steps[j], steps[i]]
      // Keep focus on this step's arrow; at the end of the list that arrow is
      // disabled, so the other one takes it.
      renderSteps({ id: step.id, acts: delta < 0 ? ['up', 'down'] : ['down', 'up'] })
      hooks.changed()
    }
    const remove = () => {
      steps.splice(i, 1)
      const next = steps[i] || steps[i - 1]
      renderSteps(next ? { id: next.id, acts: ['remove'] } : null)
      hooks.changed()
      keepFocus($('#step-type'))
    }
    list.append(el('li', { 'data-id': String(step.id), 'data-type': step.type },
      el('div', { class: 'step-head' },
        el('strong', { text: `${i + 1}. ${step.type}` }),
        el('span', { class: 'step-actions' },
          el('button', { type: 'button', class: 'icon', 'data-act': 'up', 'aria-label': `Move step ${i + 1} up`, text: '↑', onclick: move(-1), disabled: i === 0 }),
          el('button', { type: 'button', class: 'icon', 'data-act': 'down', 'aria-label': `Move step ${i + 1} down`, text: '↓', onclick: move(1), disabled: i === steps.length - 1 }),
          el('button', { type: 'button', class: 'icon danger', 'data-act': 'remove', 'aria-label': `Remove step ${i + 1} (${step.type})`, text: '✕', onclick: remove }))),
      el('div', { class: 'step-fields' }, ...fields)))
  })
  if (!steps.length) list.append(el('li', { class: 'muted empty', text: 'No steps: the template is just its base.' }))
  if (focus) {
    const target = focus.acts.map((a) => $(`#steps li[data-id="${focus.id}"] button[data-act="${a}"]`)).find((b) => b && !b.disabled)
    if (target) target.focus()
  }
}

function renderFiles() {
  const { files } = state.form
  const list = $('#files')
  list.replaceChildren()
  for (const [path, content] of files) {
    const size = typeof content === 'string' ? new Blob([content]).size : content.size
    const item = el('li', { 'data-path': path },
      el('span', { class: 'file-name', text: path }),
      el('span', { class: 'muted small', text: typeof content === 'string' ? `${humanSize(size)}, in memory` : humanSize(size) }),
      el('button', {
        type: 'button', class: 'icon danger', 'aria-label': `Remove file ${path}`, text: '✕',
        onclick: () => { files.delete(path); state.form.filesVersion++; renderFiles(); hooks.changed(); keepFocus($('#pick-files')) },
      }))
    if (typeof content === 'string') {
      const editor = el('textarea', { rows: 8, spellcheck: 'false', value: content, 'aria-label': `Content of ${path}`, oninput: (e) => files.set(path, e.target.value) })
      item.append(el('details', { class: 'file-edit' }, el('summary', { text: `Edit ${path}` }), editor))
    }
    list.append(item)
  }
  if (!files.size) list.append(el('li', { class: 'muted empty', text: 'No files yet.' }))
  let dl = document.getElementById('file-paths')
  if (!dl) document.body.append(dl = el('datalist', { id: 'file-paths' }))
  dl.replaceChildren(...[...files.keys()].map((p) => el('option', { value: p })))
}

function addFiles(list) {
  for (const f of list) state.form.files.set(f.webkitRelativePath || f.relPath || f.name, f)
  state.form.filesVersion++
  renderFiles()
  hooks.changed()
}

/** Files of a drop, folders included (walked through the entries API where there is one). */
async function droppedFiles(dt) {
  const entries = [...(dt.items || [])].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean)
  if (!entries.length) return [...dt.files]
  const out = []
  const walk = async (entry, prefix) => {
    if (entry.isFile) {
      const file = await new Promise((res, rej) => entry.file(res, rej))
      out.push(Object.assign(file, { relPath: prefix + file.name }))
    } else if (entry.isDirectory) {
      const reader = entry.createReader()
      for (;;) {
        const batch = await new Promise((res, rej) => reader.readEntries(res, rej))
        if (!batch.length) break
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`)
      }
    }
  }
  for (const e of entries) await walk(e, '')
  return out
}

function initFiles() {
  $('#pick-files').addEventListener('change', (e) => { addFiles(e.target.files); e.target.value = '' })
  $('#pick-folder').addEventListener('change', (e) => { addFiles(e.target.files); e.target.value = '' })
  const zone = $('#drop-zone')
  // Dropping anywhere on the page adds files instead of navigating away.
  document.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over') })
  document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) zone.classList.remove('over') })
  document.addEventListener('drop', async (e) => {
    e.preventDefault()
    zone.classList.remove('over')
    if (e.dataTransfer) addFiles(await droppedFiles(e.dataTransfer))
  })
}

/** Fills the form with the example and wires it; `changed` runs after every edit. */
export function initDefinition(changed) {
  hooks.changed = changed
  addStep('pipInstall', { packages: 'flask' })
  addStep('copy', { src: 'app.py', dest: '/home/user/app.py' })
  $('#base-kind').value = 'python'
  $('#base-value').value = BASES.python.value
  $('#base-dockerfile').value = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\nWORKDIR /home/user\n'
  $('#start-cmd').value = 'python /home/user/app.py'
  $('#ready-kind').value = 'port'
  $('#ready-value').value = READY.port.value
  $('#tpl-name').value = 'demo-flask-app'
  $('#tpl-tags').value = 'latest'
  $('#tpl-cpu').value = '2'
  $('#tpl-mem').value = '1024'
  $('#base-kind').addEventListener('change', () => {
    $('#base-value').value = BASES[$('#base-kind').value].value
    syncBaseFields()
  })
  $('#ready-kind').addEventListener('change', () => {
    $('#ready-value').value = READY[$('#ready-kind').value].value
    syncReadyFields()
  })
  $('#step-add').addEventListener('click', () => {
    const type = $('#step-type').value
    const step = addStep(type)
    if (type === 'copy' && state.form.files.size) {
      const first = [...state.form.files.keys()][0]
      step.src = first
      step.dest = '/home/user/' + first
    }
    renderSteps()
    const field = $(`#steps li[data-id="${step.id}"] input, #steps li[data-id="${step.id}"] textarea`)
    if (field) field.focus()
    changed()
  })
  acceptPastedLines($('#tpl-tags'))
  $('#def-form').addEventListener('input', changed)
  $('#def-form').addEventListener('change', changed)
  // Enter in a field must not build by accident: building is the Build button's job.
  $('#def-form').addEventListener('submit', (e) => e.preventDefault())
  syncBaseFields()
  syncReadyFields()
  renderSteps()
  renderFiles()
  initFiles()
}
