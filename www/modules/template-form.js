// Turns the form into a `Template` through the package's builder, and collects
// every problem with the field that caused it. The builder validates its own
// arguments (it throws `InvalidArgumentError` naming the argument); the page only
// checks what the package leaves to the server: env lines, name and tag syntax,
// CPU and memory limits.
import { $, $$, el } from './dom.js'
import { state } from './state.js'
import { STEP_FIELDS, stepSelector } from './definition.js'

/** Splits a list typed by a person: commas or newlines separate items (tags may not contain spaces, but a typo must be reported whole). */
export const splitList = (s) => String(s || '').split(/[,\n]/).map((x) => x.trim()).filter(Boolean)
/** Package names: whitespace or commas separate them. */
const words = (s) => String(s || '').split(/[\s,]+/).filter(Boolean)

// The platform's rules (emulator/README.md "Names, tags and limits").
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/
const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Why a tag is refused, or '' when it is fine. */
export function tagProblem(tag) {
  return TAG_RE.test(tag) ? '' : `"${tag}" is not a valid tag: use 1-128 letters, digits, ".", "-" or "_", starting with a letter, digit or "_".`
}

/**
 * Which field of a step an argument error is about: the argument the package's
 * `InvalidArgumentError.argument` names, else the step's first field.
 */
const ARG_NAMES = {
  runCmd: { cmd: 'command', user: 'user' },
  gitClone: { url: 'url', path: 'path', branch: 'branch', depth: 'depth' },
  copy: { src: 'src', dest: 'dest' },
}
function stepField(step, e) {
  const names = ARG_NAMES[step.type] || {}
  for (const [field, argument] of Object.entries(names)) {
    if (e && e.argument === argument) return field
  }
  return STEP_FIELDS[step.type][0][0]
}

/** The field of a build option (and its label), for an `InvalidArgumentError` whose `argument` names it. */
export const OPTION_FIELDS = {
  name: ['#tpl-name', 'Name'],
  tags: ['#tpl-tags', 'Tags'],
  cpuCount: ['#tpl-cpu', 'CPUs'],
  memoryMB: ['#tpl-mem', 'Memory'],
  timeoutMs: ['#tpl-deadline', 'Deadline'],
}

function envsOf(text, problem) {
  const envs = {}
  String(text || '').split('\n').forEach((line, n) => {
    if (!line.trim()) return
    const eq = line.indexOf('=')
    const key = eq < 0 ? '' : line.slice(0, eq).trim()
    if (eq < 1 || !ENV_KEY_RE.test(key)) {
      problem(`line ${n + 1}: "${line.trim()}" is not KEY=value (a key is letters, digits and "_", not starting with a digit)`)
      return
    }
    envs[key] = line.slice(eq + 1)
  })
  return envs
}

function readyCmd() {
  const { waitForPort, waitForURL, waitForProcess, waitForFile, waitForTimeout } = state.api
  const kind = $('#ready-kind').value
  const v = $('#ready-value').value.trim()
  switch (kind) {
    case 'none': return undefined
    case 'port': return waitForPort(v === '' ? NaN : Number(v))
    case 'url': {
      const [url, status] = v.split(/\s+/)
      return status ? waitForURL(url, Number(status)) : waitForURL(url)
    }
    case 'process': return waitForProcess(v)
    case 'file': return waitForFile(v)
    case 'timeout': return waitForTimeout(v === '' ? NaN : Number(v))
    default: return v
  }
}

/**
 * Constructs the template from the form. Returns `{ template, issues }`; `template`
 * is null when a builder call failed. Each issue is `{ field, where, message, severity }`
 * with `field` a selector of the input to fix.
 */
export function templateFromForm() {
  const { Template } = state.api
  const issues = []
  const problem = (field, where, message) => issues.push({ field, where, message, severity: 'error' })
  let ok = true
  // Runs one builder call; a throw becomes an issue on `field` (a selector, or a
  // function of the error giving one) and the chain goes on without that call, so
  // every problem is reported at once.
  const call = (field, where, fn) => {
    try {
      return fn()
    } catch (e) {
      ok = false
      problem(typeof field === 'function' ? field(e) : field, where, e.message || String(e))
      return undefined
    }
  }
  let t = Template({ fileContext: Object.fromEntries(state.form.files) })
  const kind = $('#base-kind').value
  const v = $('#base-value').value.trim()
  const baseField = kind === 'dockerfile' ? '#base-dockerfile' : '#base-value'
  t = call(baseField, 'Base', () => {
    switch (kind) {
      case 'python': return t.fromPythonImage(v || undefined)
      case 'node': return t.fromNodeImage(v || undefined)
      case 'debian': return t.fromDebianImage(v || undefined)
      case 'ubuntu': return t.fromUbuntuImage(v || undefined)
      case 'image': return t.fromImage(v, undefined, { inheritConfig: $('#base-inherit').checked })
      case 'template': return t.fromTemplate(v)
      default: return t.fromDockerfile($('#base-dockerfile').value)
    }
  }) || t
  state.form.steps.forEach((s, i) => {
    const where = `Step ${i + 1} (${s.type})`
    if (s.type === 'setEnvs') {
      let bad = false
      const envs = envsOf(s.envs, (m) => { bad = true; ok = false; problem(stepSelector(s, 'envs'), where, m) })
      if (!bad) t = call(stepSelector(s, 'envs'), where, () => t.setEnvs(envs)) || t
      return
    }
    t = call((e) => stepSelector(s, stepField(s, e)), where, () => {
      switch (s.type) {
        case 'runCmd': {
          const cmds = String(s.cmd || '').split('\n').map((c) => c.trim()).filter(Boolean)
          return t.runCmd(cmds.length === 1 ? cmds[0] : cmds, s.user ? { user: s.user } : undefined)
        }
        case 'pipInstall': return t.pipInstall(words(s.packages))
        case 'npmInstall': return t.npmInstall(words(s.packages), s.g ? { g: true } : undefined)
        case 'aptInstall': return t.aptInstall(words(s.packages))
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
    }) || t
  })
  const start = $('#start-cmd').value.trim()
  const ready = call('#ready-value', 'Ready check', readyCmd)
  if (start) t = call('#start-cmd', 'Start command', () => t.setStartCmd(start, ready)) || t
  else if (ready !== undefined) t = call('#ready-value', 'Ready check', () => t.setReadyCmd(ready)) || t
  return { template: ok ? t : null, issues }
}

/**
 * The build settings (name, tags, CPUs, memory, skipCache, deadline, what Cancel
 * does) with their problems, and a notice when the name will be stored lower-cased.
 * The options the package checks before any request (the deadline) are left to it.
 */
export function buildSettings() {
  const issues = []
  const add = (field, where, message, severity = 'error') => issues.push({ field, where, message, severity })
  const name = $('#tpl-name').value.trim()
  const [base, tag, ...more] = name.split(':')
  if (!name) add('#tpl-name', 'Name', 'Enter a name for the template.')
  else if (!NAME_RE.test(base) || more.length || (tag !== undefined && tagProblem(tag))) {
    add('#tpl-name', 'Name', `"${name}" is not a valid name: use 1-128 letters, digits, ".", "-" or "_", starting with a letter or digit, optionally followed by ":tag".`)
  } else if (base !== base.toLowerCase()) {
    add('#tpl-name', 'Name', `Will be stored as "${base.toLowerCase()}${tag !== undefined ? `:${tag}` : ''}": template names are case-insensitive and kept in lower case.`, 'notice')
  }
  const tags = splitList($('#tpl-tags').value)
  for (const t of tags) {
    const p = tagProblem(t)
    if (p) add('#tpl-tags', 'Tags', p)
  }
  const cpu = $('#tpl-cpu').value.trim()
  const mem = $('#tpl-mem').value.trim()
  const cpuN = Number(cpu)
  const memN = Number(mem)
  if (cpu && !(Number.isInteger(cpuN) && cpuN >= 1 && cpuN <= 8)) add('#tpl-cpu', 'CPUs', 'CPUs must be a whole number from 1 to 8.')
  if (mem && !(Number.isInteger(memN) && memN >= 128 && memN <= 8192 && memN % 2 === 0)) add('#tpl-mem', 'Memory', 'Memory must be an even number of MB from 128 to 8192.')
  // The deadline is typed in seconds; the package takes whole milliseconds
  // (`timeoutMs`) and judges the value itself when the build is asked for.
  const deadline = $('#tpl-deadline').value.trim()
  const options = {}
  if (tags.length) options.tags = tags
  if (cpu) options.cpuCount = cpuN
  if (mem) options.memoryMB = memN
  if ($('#tpl-skip-cache').checked) options.skipCache = true
  if (deadline) options.timeoutMs = Math.round(Number(deadline) * 1000)
  if ($('#tpl-delete-on-abort').checked) options.deleteOnAbort = true
  return { name, options, issues }
}
