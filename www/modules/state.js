// The page's one state object. Every module reads and writes this object (and
// only this object); no module keeps mutable state of its own at top level.

/** The template the page opens with: an in-memory Flask app, built from Python 3.12. */
export const DEFAULT_APP_PY = `# app.py: a tiny Flask app, copied into the template by the demo page.
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello from a Novita sandbox!\\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
`

export const state = {
  /** Set once by app.js: the package's module namespace (Template, LogEntry, errors, …). */
  api: null,

  connection: {
    apiUrl: '',
    apiKey: '',
    /** Origin that replaces public image registries when image config is read. */
    registryUrl: '',
    remember: false,
  },

  form: {
    /** Steps as the form shows them: `{ id, type, ...fields }`. */
    steps: [],
    nextStepId: 1,
    /** The file context of `copy`: relative path -> string (in memory) or File. */
    files: new Map([['app.py', DEFAULT_APP_PY]]),
    /** Current problems and notices: `{ field: Element, message, severity: 'error' | 'notice' }`. */
    issues: [],
    previewTimer: 0,
  },

  build: {
    /** idle | requesting | waiting | building | ready | failed | unreachable | cancelled | not-watching | cannot-watch */
    phase: 'idle',
    /** What runs now: null | 'foreground' | 'background' | 'watch'. */
    running: null,
    controller: null,
    /** Ids of the build the page shows, when known. */
    templateId: '',
    buildId: '',
    name: '',
    /** `{ step, stepDescription, message, error }` after a failure. */
    failure: null,
    /** What "Retry" repeats: 'foreground' | 'background' | 'watch'. */
    lastAction: null,
    startedAt: 0,
    clockTimer: 0,
  },

  log: {
    /** `{ entry: LogEntry, end: boolean, outcome: boolean }` in arrival order. */
    lines: [],
    follow: true,
    /** Lowest level shown: debug | info | warn | error. */
    minLevel: 'debug',
    query: '',
    /** Step id whose lines are highlighted (the failing step), or ''. */
    failedStep: '',
  },

  view: {
    /** 'local' or 'UTC': every time on the page is shown in this zone. */
    timeZone: 'local',
  },

  templates: {
    paginator: null,
    items: [],
    /** Template id whose Delete button waits for its confirming click. */
    armedDelete: '',
  },

  tags: {
    template: '',
    list: [],
  },

  sandbox: {
    /** sandboxId -> { sandbox, templateId } */
    running: new Map(),
  },
}
