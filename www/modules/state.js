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
    /** Bumped whenever the files change, so the COPY-source check knows when to run again. */
    filesVersion: 0,
    /** The last COPY-source check: `{ key, issues }` (issues as above). */
    copyCheck: { key: '', issues: [] },
    /** Counts checks, so a slow one that finishes after a newer one is dropped. */
    checkSeq: 0,
  },

  build: {
    /** idle | requesting | uploading | waiting | building | ready | failed | timed-out | unreachable | cancelled | not-watching | cannot-watch */
    phase: 'idle',
    /** What runs now: null | 'foreground' | 'background' | 'watch'. */
    running: null,
    controller: null,
    /** Ids of the build the page shows, when known. */
    templateId: '',
    buildId: '',
    name: '',
    /** After a failure: `{ step?, stepDescription?, message?, text?, reason?, hint?, logTail?, extra? }`. */
    failure: null,
    /** The package's word on a cancel: `{ serverBuild, message }`. */
    cancel: null,
    /** What "Retry" repeats: 'foreground' | 'background' | 'watch'. */
    lastAction: null,
    startedAt: 0,
    clockTimer: 0,
  },

  /** Step progress of the build shown (the package's onBuildProgress). */
  progress: {
    /** Steps of the build, `base` and `finalize` included; 0 while unknown. */
    total: 0,
    /** step id -> `{ step, index, description, state, cached, durationMs }`, in the order they started. */
    steps: new Map(),
    /** The step the latest log lines belong to ('' before the first step). */
    current: '',
    elapsedMs: 0,
    /** `{ src, phase, bytesDone, bytesTotal }` while COPY files are hashed and archived. */
    upload: null,
  },

  /** The last `Template.plan` result, and whether the form changed since. */
  plan: {
    result: null,
    stale: false,
    running: false,
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
