// The demo page's entry: loads the browser build of novita-template-wasm from
// /pkg/, puts it in the page's one state object (modules/state.js) and wires the
// modules together. Each module owns one part of the page:
//
//   connection.js      API URL, key, registry proxy; the options of every call
//   definition.js      the template form (base, steps, files, start/ready, settings)
//   template-form.js   form -> Template through the package's builder; settings checks
//   form-check.js      problems shown under their fields (COPY sources included); the Dockerfile preview
//   plan-view.js       the plan of a build before building (Template.plan)
//   build.js           build, build in background, watch, cancel, retry, outcomes
//   progress.js        step progress: "step 3 of 6", the bar, each step's duration
//   log-view.js        the log and its tools (filter, search, download, follow)
//   templates.js, tags.js, sandboxes.js
import { $ } from './modules/dom.js'
import { state } from './modules/state.js'
import { initConnection } from './modules/connection.js'
import { initDefinition, useTemplateAsBase } from './modules/definition.js'
import { checkForm, scheduleCheck, checkHooks } from './modules/form-check.js'
import { initPlanView, markPlanStale } from './modules/plan-view.js'
import { initProgress } from './modules/progress.js'
import { initLogView } from './modules/log-view.js'
import { initBuild, watch, buildHooks } from './modules/build.js'
import { initTemplates, refreshList, renderList, templateHooks } from './modules/templates.js'
import { initTags, renderTags, showTagsOf } from './modules/tags.js'
import { startSandbox } from './modules/sandboxes.js'

const loadState = $('#load-state')
try {
  state.api = await import('/pkg/web/index.js')
  loadState.textContent = ''
  loadState.hidden = true
} catch (e) {
  loadState.textContent = `Could not load the package from /pkg/web/index.js (${e.message}). Build it with "make build" and serve it with "make demo".`
  loadState.className = 'error-text'
  throw e
}

initConnection()
initDefinition(scheduleCheck)
initLogView(() => { renderList(); renderTags() })
initProgress()
initPlanView()
initBuild()
initTemplates()
initTags()
checkHooks.changed = markPlanStale
buildHooks.outcome = () => refreshList()
buildHooks.startSandbox = startSandbox
templateHooks.showTags = showTagsOf
templateHooks.startSandbox = startSandbox
templateHooks.useAsBase = useTemplateAsBase
checkForm()
refreshList()

const params = new URLSearchParams(location.search)
if (params.get('templateId') && params.get('buildId')) watch(params.get('templateId'), params.get('buildId'))
document.body.dataset.ready = 'true'
