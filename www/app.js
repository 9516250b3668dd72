// The demo page: define a template, preview its Dockerfile, build it with live
// logs (foreground or background), and manage templates, tags and sandboxes,
// all through the browser build of novita-template-wasm served at /pkg/.
//
// Rule of this file: text from the API or the user is only ever put into the DOM
// through textContent / value (the `el` helper), never through innerHTML.

const $ = (sel) => document.querySelector(sel)

const PROPS = new Set(['value', 'checked', 'disabled', 'rows'])

/** Creates an element; `text` becomes textContent, never markup. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue
    if (k === 'text') node.textContent = v
    else if (k === 'class') node.className = v
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v)
    else if (PROPS.has(k)) node[k] = v
    else node.setAttribute(k, v === true ? '' : v)
  }
  for (const c of children) if (c != null) node.append(c)
  return node
}

// ---------------------------------------------------------------- the package

const loadState = $('#load-state')
let api
try {
  api = await import('/pkg/web/index.js')
  loadState.textContent = ''
  loadState.hidden = true
} catch (e) {
  loadState.textContent = `Could not load the package from /pkg/web/index.js (${e.message}). Build it with "make build" and serve it with "make demo".`
  loadState.className = 'error-text'
  throw e
}
const { Template, Sandbox, waitForPort, waitForURL, waitForProcess, waitForFile, waitForTimeout, stripAnsi } = api

// ---------------------------------------------------------------- connection

const CONN_KEY = 'novita-template-demo.connection'
const DEFAULT_KEY = 'demo-key' // what `make demo` passes to the emulator (--api-key demo-key)

function loadConnection() {
  try {
    const saved = JSON.parse(localStorage.getItem(CONN_KEY) || 'null')
    if (saved && typeof saved.apiUrl === 'string') {
      return { apiUrl: saved.apiUrl, apiKey: String(saved.apiKey || ''), remember: true }
    }
  } catch { /* unreadable storage: use the defaults */ }
  return { apiUrl: location.origin, apiKey: DEFAULT_KEY, remember: false }
}

function saveConnection() {
  try {
    if ($('#remember').checked) {
      localStorage.setItem(CONN_KEY, JSON.stringify({ apiUrl: $('#api-url').value.trim(), apiKey: $('#api-key').value }))
    } else {
      localStorage.removeItem(CONN_KEY)
    }
  } catch { /* storage disabled: nothing is kept */ }
  showConnSummary()
}

function showConnSummary() {
  const url = $('#api-url').value.trim() || '(none)'
  const key = $('#api-key').value ? 'key set' : 'no key'
  $('#conn-summary').textContent = `${url} · ${key}${$('#remember').checked ? ' · remembered' : ''}`
}

/** Connection options for every API call. */
function conn(extra = {}) {
  const apiUrl = $('#api-url').value.trim().replace(/\/+$/, '')
  const o = { apiUrl, apiKey: $('#api-key').value, ...extra }
  // The page itself came over this origin, so the key travels the same way it did:
  // allow plain http to it even when it is not a loopback address (e.g. a LAN demo).
  if (apiUrl === location.origin && location.protocol === 'http:') o.allowInsecureHttp = true
  return o
}

{
  const c = loadConnection()
  $('#api-url').value = c.apiUrl
  $('#api-key').value = c.apiKey
  $('#remember').checked = c.remember
  showConnSummary()
  for (const id of ['#api-url', '#api-key', '#remember']) $(id).addEventListener('change', saveConnection)
  $('#api-url').addEventListener('input', showConnSummary)
  $('#conn-reset').addEventListener('click', () => {
    $('#api-url').value = location.origin
    $('#api-key').value = DEFAULT_KEY
    saveConnection()
  })
  $('#conn-test').addEventListener('click', async () => {
    const out = $('#conn-result')
    out.className = 'note'
    out.textContent = 'Checking…'
    try {
      await Template.exists('novita-demo-connection-check', conn())
      out.textContent = 'Connected: the API answered and accepted the key.'
    } catch (e) {
      showError(out, e)
    }
  })
}

// ---------------------------------------------------------------- errors

/** What to tell the user for an error, with what to do about it. */
function explain(e) {
  const name = (e && e.name) || 'Error'
  const msg = (e && e.message) || String(e)
  // list/get reject a 401 as a BuildError with `status` (as novita-sandbox does): same advice.
  if (e instanceof api.AuthenticationError || (e && e.status === 401)) {
    return `The API rejected the key (${msg}). Check the API key in the Connection settings (the emulator started by "make demo" accepts "demo-key").`
  }
  if (e instanceof api.AbortError) return 'Cancelled.'
  if (e instanceof api.RateLimitError) return `Rate limited by the API (${msg}). Wait a little and try again.`
  if (e instanceof api.TimeoutError) return `The API did not answer in time (${msg}). Check the API URL and your network, then retry.`
  if (e instanceof api.InvalidArgumentError) return `Invalid input: ${msg}`
  if (e instanceof api.NotFoundError) return `Not found: ${msg}`
  if (/network error|failed to fetch|load failed|networkerror/i.test(msg)) {
    return `Could not reach the API at ${conn().apiUrl} (${msg}). Check the API URL in the Connection settings and that the server is running ("make demo" starts the emulator).`
  }
  if (e instanceof api.BuildError && e.step) {
    return `Build failed at step ${e.step}${e.stepDescription ? ` (${e.stepDescription})` : ''}: ${msg}`
  }
  return `${name}: ${msg}`
}

function showError(node, e) {
  node.className = node.className.replace(/\b(error-text|ok-text)\b/g, '').trim() + ' error-text'
  node.textContent = explain(e)
}

function showOk(node, text) {
  node.className = node.className.replace(/\b(error-text|ok-text)\b/g, '').trim() + ' ok-text'
  node.textContent = text
}

// ---------------------------------------------------------------- the definition

const DEFAULT_APP_PY = `# app.py: a tiny Flask app, copied into the template by the demo page.
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello from a Novita sandbox!\\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
`

const BASES = {
  python: { caption: 'Python version', value: '3.12' },
  node: { caption: 'Node variant', value: 'lts' },
  debian: { caption: 'Debian variant', value: 'stable' },
  ubuntu: { caption: 'Ubuntu variant', value: '22.04' },
  image: { caption: 'Image', value: 'python:3.12' },
  template: { caption: 'Template name or ID', value: 'base' },
  dockerfile: { caption: '', value: '' },
}

const STEP_FIELDS = {
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

let nextStepId = 1
const steps = [
  { id: nextStepId++, type: 'pipInstall', packages: 'flask' },
  { id: nextStepId++, type: 'copy', src: 'app.py', dest: '/home/user/app.py' },
]
/** The file context of `copy`: relative path -> string (in-memory) or File. */
const files = new Map([['app.py', DEFAULT_APP_PY]])

const words = (s) => String(s || '').split(/[\s,]+/).filter(Boolean)

function initDefinition() {
  $('#base-kind').value = 'python'
  $('#base-value').value = BASES.python.value
  $('#base-dockerfile').value = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\nWORKDIR /home/user\n'
  $('#start-cmd').value = 'python /home/user/app.py'
  $('#ready-kind').value = 'port'
  $('#ready-value').value = '8000'
  $('#tpl-name').value = 'demo-flask-app'
  $('#tpl-tags').value = 'latest'
  $('#tpl-cpu').value = '2'
  $('#tpl-mem').value = '1024'
  $('#base-kind').addEventListener('change', () => {
    $('#base-value').value = BASES[$('#base-kind').value].value
    syncBaseFields()
  })
  $('#ready-kind').addEventListener('change', () => {
    $('#ready-value').value = { port: '8000', url: 'http://localhost:8000/', process: 'python', file: '/tmp/ready', timeout: '2000', cmd: 'curl -fs localhost:8000', none: '' }[$('#ready-kind').value]
    syncReadyFields()
  })
  $('#step-add').addEventListener('click', () => {
    const type = $('#step-type').value
    const step = { id: nextStepId++, type, ...STEP_DEFAULTS[type] }
    if (type === 'copy' && files.size) {
      const first = [...files.keys()][0]
      step.src = first
      step.dest = '/home/user/' + first
    }
    steps.push(step)
    renderSteps()
    const row = $(`#steps li[data-id="${step.id}"] input, #steps li[data-id="${step.id}"] textarea`)
    if (row) row.focus()
    schedulePreview()
  })
  $('#def-form').addEventListener('input', schedulePreview)
  $('#def-form').addEventListener('change', schedulePreview)
  $('#def-form').addEventListener('submit', (e) => e.preventDefault())
  syncBaseFields()
  syncReadyFields()
  renderSteps()
  renderFiles()
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
  $('#ready-value-caption').textContent = { port: 'Port', url: 'URL [status]', process: 'Process name', file: 'File path', timeout: 'Milliseconds', cmd: 'Shell command', none: '' }[kind]
}

function renderSteps() {
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
      renderSteps()
      schedulePreview()
      const btn = $(`#steps li[data-id="${step.id}"] button[data-act="${delta < 0 ? 'up' : 'down'}"]`)
      if (btn) btn.focus()
    }
    const remove = () => {
      steps.splice(i, 1)
      renderSteps()
      schedulePreview()
      $('#step-type').focus()
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
}

function humanSize(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`
}

function renderFiles() {
  const list = $('#files')
  list.replaceChildren()
  for (const [path, content] of files) {
    const size = typeof content === 'string' ? new Blob([content]).size : content.size
    const item = el('li', { 'data-path': path },
      el('span', { class: 'file-name', text: path }),
      el('span', { class: 'muted small', text: typeof content === 'string' ? `${humanSize(size)}, in memory` : humanSize(size) }),
      el('button', { type: 'button', class: 'icon danger', 'aria-label': `Remove file ${path}`, text: '✕', onclick: () => { files.delete(path); renderFiles(); schedulePreview() } }))
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
  for (const f of list) files.set(f.webkitRelativePath || f.relPath || f.name, f)
  renderFiles()
  schedulePreview()
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

/** The file context for `Template({ fileContext })`: relative path -> string or File. */
function fileContext() {
  return Object.fromEntries(files)
}

function readyCmd() {
  const kind = $('#ready-kind').value
  const v = $('#ready-value').value.trim()
  switch (kind) {
    case 'none': return undefined
    case 'port': return waitForPort(Number(v))
    case 'url': {
      const [url, status] = v.split(/\s+/)
      return status ? waitForURL(url, Number(status)) : waitForURL(url)
    }
    case 'process': return waitForProcess(v)
    case 'file': return waitForFile(v)
    case 'timeout': return waitForTimeout(Number(v))
    default: return v
  }
}

/** Wraps a builder call so an error says which part of the form caused it. */
function at(where, fn) {
  try {
    return fn()
  } catch (e) {
    const err = new Error(`${where}: ${e.message}`)
    err.name = e.name
    throw err
  }
}

/** Builds the `Template` from the form; throws with the failing part named. */
function templateFromForm() {
  let t = at('Template()', () => Template({ fileContext: fileContext() }))
  const kind = $('#base-kind').value
  const v = $('#base-value').value.trim()
  t = at('Base', () => {
    switch (kind) {
      case 'python': return t.fromPythonImage(v || undefined)
      case 'node': return t.fromNodeImage(v || undefined)
      case 'debian': return t.fromDebianImage(v || undefined)
      case 'ubuntu': return t.fromUbuntuImage(v || undefined)
      case 'image': return t.fromImage(v, undefined, { inheritConfig: $('#base-inherit').checked })
      case 'template': return t.fromTemplate(v)
      default: return t.fromDockerfile($('#base-dockerfile').value)
    }
  })
  steps.forEach((s, i) => {
    t = at(`Step ${i + 1} (${s.type})`, () => {
      switch (s.type) {
        case 'runCmd': {
          const cmds = String(s.cmd || '').split('\n').map((c) => c.trim()).filter(Boolean)
          return t.runCmd(cmds.length === 1 ? cmds[0] : cmds, s.user ? { user: s.user } : undefined)
        }
        case 'pipInstall': return t.pipInstall(words(s.packages))
        case 'npmInstall': return t.npmInstall(words(s.packages), s.g ? { g: true } : undefined)
        case 'aptInstall': return t.aptInstall(words(s.packages))
        case 'setEnvs': {
          const envs = {}
          for (const line of String(s.envs || '').split('\n')) {
            if (!line.trim()) continue
            const eq = line.indexOf('=')
            if (eq < 1) throw new Error(`"${line}" is not KEY=value`)
            envs[line.slice(0, eq).trim()] = line.slice(eq + 1)
          }
          return t.setEnvs(envs)
        }
        case 'setWorkdir': return t.setWorkdir(s.path)
        case 'setUser': return t.setUser(s.user)
        case 'gitClone': {
          const o = {}
          if (s.branch) o.branch = s.branch
          if (s.depth) o.depth = Number(s.depth)
          return t.gitClone(s.url, s.path || undefined, o)
        }
        case 'copy': return t.copy(s.src, s.dest)
        default: throw new Error(`unknown step type ${s.type}`)
      }
    })
  })
  const start = $('#start-cmd').value.trim()
  const ready = at('Ready check', readyCmd)
  if (start) t = at('Start command', () => t.setStartCmd(start, ready))
  else if (ready !== undefined) t = at('Ready check', () => t.setReadyCmd(ready))
  return t
}

let previewTimer
function schedulePreview() {
  clearTimeout(previewTimer)
  previewTimer = setTimeout(updatePreview, 120)
}

function updatePreview() {
  const err = $('#preview-error')
  const preview = $('#preview')
  let t
  try {
    t = templateFromForm()
  } catch (e) {
    err.textContent = `${e.name && e.name !== 'Error' ? e.name + ': ' : ''}${e.message}`
    err.hidden = false
    return false
  }
  err.hidden = true
  err.textContent = ''
  try {
    preview.textContent = Template.toDockerfile(t)
    preview.classList.remove('muted')
  } catch (e) {
    // A valid template can still lack a Dockerfile form (e.g. one based on a template).
    preview.textContent = `# No Dockerfile preview: ${e.message}`
    preview.classList.add('muted')
  }
  if (typeof t.free === 'function') t.free()
  return true
}

function buildOptions() {
  const o = conn()
  const tags = words($('#tpl-tags').value)
  if (tags.length) o.tags = tags
  if ($('#tpl-cpu').value) o.cpuCount = Number($('#tpl-cpu').value)
  if ($('#tpl-mem').value) o.memoryMB = Number($('#tpl-mem').value)
  if ($('#tpl-skip-cache').checked) o.skipCache = true
  return o
}

// ---------------------------------------------------------------- the log view

const logView = $('#log')
let follow = true

function atBottom() {
  return logView.scrollTop + logView.clientHeight >= logView.scrollHeight - 4
}
logView.addEventListener('scroll', () => {
  follow = atBottom()
  $('#log-follow').hidden = follow
})
$('#log-follow').addEventListener('click', () => {
  follow = true
  logView.scrollTop = logView.scrollHeight
  $('#log-follow').hidden = true
})

function clearLog() {
  logView.replaceChildren()
  follow = true
  $('#log-follow').hidden = true
}

const STEP_RE = /^(CACHED )?\[([\w-]+)\] (.*)$/

function appendLog(entry) {
  const message = stripAnsi(String(entry.message))
  const level = String(entry.level || 'info').toLowerCase()
  const ts = entry.timestamp instanceof Date && !isNaN(entry.timestamp) ? entry.timestamp.toISOString().slice(11, 19) : ''
  logView.append(el('div', { class: `line lvl-${level}` },
    el('span', { class: 'ts', text: ts }),
    el('span', { class: 'lvl', text: level }),
    el('span', { class: 'msg', text: message })))
  const m = (level === 'info' || level === 'warn') && STEP_RE.exec(message)
  if (m) $('#current-step').textContent = `${m[2]}: ${m[3]}`.slice(0, 90)
  if (follow) logView.scrollTop = logView.scrollHeight
}

// ---------------------------------------------------------------- build state

let timer
let startedAt = 0
let current = null // { kind: 'build' | 'watch', ctrl: AbortController }

function setStatus(status) {
  const badge = $('#status')
  badge.dataset.status = status
  badge.textContent = status
}

function startClock(from = Date.now()) {
  startedAt = from
  clearInterval(timer)
  const tick = () => { $('#elapsed').textContent = `${((Date.now() - startedAt) / 1000).toFixed(1)} s` }
  tick()
  timer = setInterval(tick, 100)
}

function stopClock() {
  clearInterval(timer)
  $('#elapsed').textContent = `${((Date.now() - startedAt) / 1000).toFixed(1)} s`
}

function setBusy(kind) {
  $('#build').disabled = !!kind
  $('#build-bg').disabled = !!kind
  $('#cancel').disabled = !kind
  $('#cancel').textContent = kind === 'watch' ? 'Stop watching' : 'Cancel'
}

function resetOutcome() {
  $('#build-error').hidden = true
  $('#build-error').replaceChildren()
  $('#build-result').hidden = true
  $('#build-result').replaceChildren()
  $('#current-step').textContent = '–'
}

function showFailure(e) {
  const box = $('#build-error')
  box.replaceChildren()
  if (e instanceof api.BuildError && e.step) {
    $('#current-step').textContent = `${e.step} (failed)`
    box.append(el('strong', { text: `Failed at step ${e.step}` }))
    if (e.stepDescription) box.append(' ', el('code', { text: e.stepDescription }))
    box.append(el('p', { text: e.message }))
    box.append(el('p', { class: 'small', text: 'Inspect the log above, fix the step, and build again (tick "Skip the layer cache" if you suspect a stale layer).' }))
  } else {
    box.append(el('p', { text: explain(e) }))
  }
  box.hidden = false
}

function showSuccess(templateId, buildId, name) {
  const box = $('#build-result')
  box.replaceChildren(
    el('strong', { text: 'Ready. ' }),
    el('span', { text: `${name ? name + ' · ' : ''}template ` }), el('code', { text: templateId }),
    el('span', { text: ' · build ' }), el('code', { text: buildId }), ' ',
    el('button', { type: 'button', text: 'Start a sandbox', onclick: () => startSandbox(templateId) }))
  box.hidden = false
}

function setWatchParams(templateId, buildId) {
  const url = new URL(location.href)
  if (templateId) {
    url.searchParams.set('templateId', templateId)
    url.searchParams.set('buildId', buildId)
  } else {
    url.searchParams.delete('templateId')
    url.searchParams.delete('buildId')
  }
  history.replaceState(null, '', url)
}

// Foreground build: Template.build with onBuildLogs and an AbortController.
async function buildForeground() {
  if (current) return
  if (!updatePreview()) {
    showFailure(new Error(`The template has an error: ${$('#preview-error').textContent}`))
    return
  }
  const ctrl = new AbortController()
  current = { kind: 'build', ctrl }
  setWatchParams(null)
  $('#watch-info').hidden = true
  resetOutcome()
  clearLog()
  setBusy('build')
  setStatus('building')
  startClock()
  const name = $('#tpl-name').value.trim()
  let t
  try {
    t = templateFromForm()
    const info = await Template.build(t, name, { ...buildOptions(), signal: ctrl.signal, onBuildLogs: appendLog })
    setStatus('ready')
    showSuccess(info.templateId, info.buildId, info.name)
    refreshList()
  } catch (e) {
    if (e instanceof api.AbortError || ctrl.signal.aborted) {
      setStatus('cancelled')
      appendLog({ timestamp: new Date(), level: 'warn', message: 'Cancelled by the user (the server may finish or drop the build on its own).' })
    } else {
      setStatus('error')
      showFailure(e)
    }
  } finally {
    stopClock()
    setBusy(null)
    current = null
    if (t && typeof t.free === 'function') t.free()
  }
}

// Background build: Template.buildInBackground, then watch it by polling.
async function buildBackground() {
  if (current) return
  if (!updatePreview()) {
    showFailure(new Error(`The template has an error: ${$('#preview-error').textContent}`))
    return
  }
  resetOutcome()
  clearLog()
  setStatus('requesting')
  let t
  try {
    t = templateFromForm()
    setBusy('build')
    const { templateId, buildId } = await Template.buildInBackground(t, $('#tpl-name').value.trim(), buildOptions())
    setBusy(null)
    setWatchParams(templateId, buildId)
    watchBuild(templateId, buildId)
  } catch (e) {
    setBusy(null)
    setStatus('error')
    showFailure(e)
  } finally {
    if (t && typeof t.free === 'function') t.free()
  }
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const id = setTimeout(resolve, ms)
  signal.addEventListener('abort', () => { clearTimeout(id); resolve() }, { once: true })
})

// Polls getBuildStatus with logsOffset until the build ends. Any tab (or a reload)
// with ?templateId=…&buildId=… in its URL watches the same build from its first line.
async function watchBuild(templateId, buildId) {
  if (current) return
  const ctrl = new AbortController()
  current = { kind: 'watch', ctrl }
  resetOutcome()
  clearLog()
  setBusy('watch')
  setStatus('waiting')
  const info = $('#watch-info')
  info.replaceChildren(
    el('span', { text: 'Watching build ' }), el('code', { text: buildId }),
    el('span', { text: ' of template ' }), el('code', { text: templateId }),
    el('span', { text: '. This link shows it in any tab and survives a reload: ' }),
    el('a', { href: location.href, text: 'share link' }))
  info.hidden = false
  let offset = 0
  let first = true
  let failures = 0
  try {
    for (;;) {
      let s
      try {
        s = await Template.getBuildStatus({ templateId, buildId }, { ...conn(), logsOffset: offset, signal: ctrl.signal })
        failures = 0
      } catch (e) {
        if (ctrl.signal.aborted || e instanceof api.AbortError) throw e
        // A 4xx will not change by asking again; network trouble might.
        if (e instanceof api.AuthenticationError || e instanceof api.NotFoundError || (e.status >= 400 && e.status < 500) || ++failures >= 5) throw e
        await sleep(1000 * failures, ctrl.signal)
        continue
      }
      if (first) {
        first = false
        const t0 = s.logEntries[0] && s.logEntries[0].timestamp
        startClock(t0 instanceof Date && !isNaN(t0) ? t0.getTime() : Date.now())
      }
      for (const entry of s.logEntries) appendLog(entry)
      offset += s.logEntries.length
      setStatus(s.status)
      if (s.status === 'ready') {
        showSuccess(templateId, buildId, '')
        refreshList()
        break
      }
      if (s.status === 'error') {
        const r = s.reason || {}
        const err = new api.BuildError(r.message || 'the build failed')
        Object.defineProperty(err, 'step', { value: r.step })
        showFailure(err)
        break
      }
      // A full page means more lines are waiting: fetch them at once.
      if (s.logEntries.length < 100) await sleep(500, ctrl.signal)
      if (ctrl.signal.aborted) throw new api.AbortError('stopped watching')
    }
  } catch (e) {
    if (ctrl.signal.aborted || e instanceof api.AbortError) {
      setStatus('not watching')
      appendLog({ timestamp: new Date(), level: 'warn', message: 'Stopped watching; the build goes on on the server. Reload this link to watch it again.' })
    } else {
      setStatus('error')
      showFailure(e)
      if (e && e.status === 404) {
        $('#build-error').append(el('p', { text: `The API at ${conn().apiUrl} does not know this build: the link may come from another server, or the emulator was restarted without --data-dir (its data is temporary by default).` }))
      }
    }
  } finally {
    stopClock()
    setBusy(null)
    current = null
  }
}

function initBuild() {
  $('#build').addEventListener('click', buildForeground)
  $('#build-bg').addEventListener('click', buildBackground)
  $('#cancel').addEventListener('click', () => {
    if (!current) return
    if (current.kind === 'watch') setWatchParams(null)
    current.ctrl.abort()
  })
}

// ---------------------------------------------------------------- templates, tags, sandboxes

let paginator
async function refreshList(more = false) {
  const out = $('#list-result')
  const tbody = $('#templates tbody')
  try {
    if (!more) {
      paginator = Template.list(conn())
      tbody.replaceChildren()
    }
    out.className = 'note'
    out.textContent = 'Loading…'
    const items = await paginator.nextPage()
    for (const t of items) tbody.append(templateRow(t))
    $('#list-more').hidden = !paginator.hasNext
    const n = tbody.children.length
    out.textContent = n ? `${n} template${n === 1 ? '' : 's'}` : 'No templates yet: build one above.'
  } catch (e) {
    showError(out, e)
  }
}

function templateRow(t) {
  const name = (t.names && t.names[0]) || (t.aliases && t.aliases[0]) || ''
  const ref = name || t.templateId
  let armed = false
  const del = el('button', { type: 'button', class: 'danger', text: 'Delete', 'aria-label': `Delete template ${ref}` })
  del.addEventListener('click', async () => {
    if (!armed) {
      armed = true
      del.textContent = 'Confirm delete'
      setTimeout(() => { armed = false; del.textContent = 'Delete' }, 4000)
      return
    }
    try {
      await Template.delete(t.templateId, conn())
      await refreshList()
      showOk($('#list-result'), `Deleted ${ref}.`)
    } catch (e) {
      showError($('#list-result'), e)
    }
  })
  const updated = t.updatedAt instanceof Date ? t.updatedAt.toLocaleString() : ''
  return el('tr', { 'data-template-id': t.templateId },
    el('td', { text: (t.names || []).join(', ') || '—' }),
    el('td', {}, el('code', { text: t.templateId })),
    el('td', {}, el('span', { class: 'badge', 'data-status': t.buildStatus || '', text: t.buildStatus || '?' })),
    el('td', { 'data-label': 'builds', text: String(t.buildCount ?? '') }),
    el('td', { 'data-label': 'updated', text: updated }),
    el('td', { class: 'actions' },
      el('button', { type: 'button', text: 'Tags', 'aria-label': `Tags of ${ref}`, onclick: () => { $('#tags-template').value = ref; $('#tags-target').value = name ? `${name}:default` : ''; listTags() } }),
      el('button', { type: 'button', text: 'Sandbox', 'aria-label': `Start a sandbox from ${ref}`, disabled: t.buildStatus !== 'ready', onclick: () => startSandbox(t.templateId) }),
      el('button', { type: 'button', text: 'Use as base', 'aria-label': `Use ${ref} as the base`, onclick: () => { $('#base-kind').value = 'template'; syncBaseFields(); $('#base-value').value = ref; schedulePreview(); $('#base-value').focus() } }),
      del))
}

async function listTags() {
  const out = $('#tags-result')
  const list = $('#tags')
  const template = $('#tags-template').value.trim()
  list.replaceChildren()
  if (!template) { out.className = 'note error-text'; out.textContent = 'Enter a template name or ID.'; return }
  try {
    const tags = await Template.getTags(template, conn())
    showOk(out, tags.length ? `${tags.length} tag${tags.length === 1 ? '' : 's'} on ${template}` : `${template} has no tags.`)
    for (const tag of tags) {
      list.append(el('li', {},
        el('code', { text: tag.tag }),
        el('span', { class: 'muted small', text: ` build ${tag.buildId} · ${tag.createdAt instanceof Date ? tag.createdAt.toLocaleString() : ''} ` }),
        el('button', { type: 'button', class: 'icon danger', text: '✕', 'aria-label': `Remove tag ${tag.tag}`, onclick: () => removeTags(template, [tag.tag]) })))
    }
  } catch (e) {
    showError(out, e)
  }
}

async function removeTags(template, tags) {
  const out = $('#tags-result')
  try {
    // removeTags takes the template's name; an ID is resolved to its first name.
    let name = template
    try { name = (await Template.get(template, conn())).names[0] || template } catch { /* keep what was typed */ }
    await Template.removeTags(name, tags, conn())
    await listTags()
    showOk(out, `Removed ${tags.join(', ')} from ${name}.`)
  } catch (e) {
    showError(out, e)
  }
}

function initTags() {
  $('#tags-list').addEventListener('click', listTags)
  $('#tags-assign').addEventListener('click', async () => {
    const out = $('#tags-result')
    const target = $('#tags-target').value.trim()
    const tags = words($('#tags-names').value)
    if (!target || !tags.length) { out.className = 'note error-text'; out.textContent = 'Enter a source name:tag and the tags to assign.'; return }
    try {
      const r = await Template.assignTags(target, tags, conn())
      if (!$('#tags-template').value.trim()) $('#tags-template').value = target.replace(/:[^:]*$/, '')
      await listTags()
      showOk(out, `Assigned ${r.tags.join(', ')} to build ${r.buildId}.`)
    } catch (e) {
      showError(out, e)
    }
  })
  $('#tags-remove').addEventListener('click', () => {
    const template = $('#tags-template').value.trim() || $('#tags-target').value.trim().replace(/:[^:]*$/, '')
    const tags = words($('#tags-names').value)
    if (!template || !tags.length) { $('#tags-result').className = 'note error-text'; $('#tags-result').textContent = 'Enter the template name and the tags to remove.'; return }
    removeTags(template, tags)
  })
  $('#tags-form').addEventListener('submit', (e) => { e.preventDefault(); listTags() })
}

async function startSandbox(templateId) {
  const out = $('#sbx-result')
  out.className = 'note'
  out.textContent = `Starting a sandbox from ${templateId}…`
  try {
    const sbx = await Sandbox.create(templateId, conn())
    showOk(out, `Sandbox ${sbx.sandboxId} is running.`)
    const kill = el('button', { type: 'button', class: 'danger', text: 'Kill', 'aria-label': `Kill sandbox ${sbx.sandboxId}` })
    const item = el('li', { 'data-sandbox-id': sbx.sandboxId }, el('code', { text: sbx.sandboxId }), el('span', { class: 'muted small', text: ` from ${templateId} ` }), kill)
    kill.addEventListener('click', async () => {
      try {
        await sbx.kill()
        item.remove()
        showOk(out, `Sandbox ${sbx.sandboxId} killed.`)
      } catch (e) {
        showError(out, e)
      }
    })
    $('#sandboxes').append(item)
  } catch (e) {
    showError(out, e)
  }
}

// ---------------------------------------------------------------- start

initDefinition()
initFiles()
initBuild()
initTags()
$('#list-refresh').addEventListener('click', () => refreshList())
$('#list-more').addEventListener('click', () => refreshList(true))
updatePreview()
setBusy(null)
refreshList()

const params = new URLSearchParams(location.search)
if (params.get('templateId') && params.get('buildId')) {
  watchBuild(params.get('templateId'), params.get('buildId'))
}
document.body.dataset.ready = 'true'
