// Connection settings (API URL, key, registry proxy) and the options every call gets.
import { $, say } from './dom.js'
import { state } from './state.js'
import { explain } from './errors.js'

const STORAGE_KEY = 'novita-template-demo.connection'
const DEFAULT_KEY = 'demo-key' // what `make demo` passes to the emulator (--api-key demo-key)

/** The emulator serves a small registry at `<apiUrl>/registry`; the page's own server is the emulator. */
const defaultRegistry = (apiUrl) => `${apiUrl.replace(/\/+$/, '')}/registry`

function load() {
  const c = state.connection
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null')
    if (saved && typeof saved.apiUrl === 'string') {
      c.apiUrl = saved.apiUrl
      c.apiKey = String(saved.apiKey || '')
      c.registryUrl = typeof saved.registryUrl === 'string' ? saved.registryUrl : defaultRegistry(saved.apiUrl)
      c.remember = true
      return
    }
  } catch { /* unreadable storage: use the defaults */ }
  c.apiUrl = location.origin
  c.apiKey = DEFAULT_KEY
  c.registryUrl = defaultRegistry(location.origin)
  c.remember = false
}

function fromForm() {
  const c = state.connection
  c.apiUrl = $('#api-url').value.trim().replace(/\/+$/, '')
  c.apiKey = $('#api-key').value
  c.registryUrl = $('#registry-url').value.trim().replace(/\/+$/, '')
  c.remember = $('#remember').checked
}

function toForm() {
  const c = state.connection
  $('#api-url').value = c.apiUrl
  $('#api-key').value = c.apiKey
  $('#registry-url').value = c.registryUrl
  $('#remember').checked = c.remember
  showSummary()
}

function save() {
  fromForm()
  const c = state.connection
  try {
    if (c.remember) localStorage.setItem(STORAGE_KEY, JSON.stringify({ apiUrl: c.apiUrl, apiKey: c.apiKey, registryUrl: c.registryUrl }))
    else localStorage.removeItem(STORAGE_KEY)
  } catch { /* storage disabled: nothing is kept */ }
  showSummary()
}

function showSummary() {
  const url = $('#api-url').value.trim() || '(none)'
  const key = $('#api-key').value ? 'key set' : 'no key'
  $('#conn-summary').textContent = `${url} · ${key}${$('#remember').checked ? ' · remembered' : ''}`
}

/** Connection options for every API call, plus `extra`. */
export function connection(extra = {}) {
  const { apiUrl, apiKey } = state.connection
  const o = { apiUrl, apiKey, ...extra }
  // The page itself came over this origin, so the key travels the same way it did:
  // allow plain http to it even when it is not a loopback address (e.g. a LAN demo).
  if (apiUrl === location.origin && location.protocol === 'http:') o.allowInsecureHttp = true
  return o
}

/** `registryUrl` for builds, when one is set (an empty field means the public registries). */
export function registryOption() {
  return state.connection.registryUrl ? { registryUrl: state.connection.registryUrl } : {}
}

async function testConnection() {
  const out = $('#conn-result')
  fromForm()
  say(out, 'Checking…')
  try {
    // The cheapest call that needs a valid key and succeeds on any account.
    const page = await state.api.Template.list(connection({ limit: 1 })).nextPage()
    say(out, `Connected: the API answered and accepted the key (${page.total ? `${page.total} template${page.total === 1 ? '' : 's'}` : 'no templates yet'}).`, 'ok')
  } catch (e) {
    say(out, explain(e), 'error')
  }
}

export function initConnection() {
  load()
  toForm()
  for (const id of ['#api-url', '#api-key', '#registry-url', '#remember']) $(id).addEventListener('change', save)
  $('#api-url').addEventListener('input', showSummary)
  $('#conn-reset').addEventListener('click', () => {
    state.connection.apiUrl = location.origin
    state.connection.apiKey = DEFAULT_KEY
    state.connection.registryUrl = defaultRegistry(location.origin)
    state.connection.remember = $('#remember').checked
    toForm()
    save()
  })
  // Enter in a field (or the button) tests the connection.
  $('#conn-form').addEventListener('submit', (e) => {
    e.preventDefault()
    save()
    testConnection()
  })
}
