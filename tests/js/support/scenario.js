// One scenario run in every way a user loads the package (Node ESM, Node CJS, a
// bundler, a plain module page). Format-neutral on purpose: the tests wrap it.
// Returns plain JSON so the four results can be compared with each other and with
// the official SDK's output for the same template.
function scenario(api) {
  const { Template, TemplateBase, waitForPort, TemplateError, InvalidArgumentError, LogEntry } = api
  const out = {}
  const t = Template({ fileContextPath: '.' })
    .fromImage('python:3.12', undefined, { inheritConfig: false })
    .pipInstall(['flask', 'requests'])
    .setEnvs({ APP_ENV: 'production' })
    .setStartCmd('python -m http.server 8000', waitForPort(8000))
  out.callableWithoutNew = t instanceof TemplateBase
  out.instanceofTemplate = t instanceof Template
  out.withNew = new Template().fromTemplate('base') instanceof TemplateBase
  out.dockerfile = Template.toDockerfile(t)
  try {
    Template().runCmd('')
    out.emptyCmd = 'no error'
  } catch (e) {
    out.emptyCmd = { name: e.name, isError: e instanceof Error, isTyped: e instanceof TemplateError || e instanceof InvalidArgumentError, message: e.message }
  }
  const entry = new LogEntry(new Date(Date.UTC(2026, 0, 1)), 'info', '\u001b[32mgreen\u001b[0m text')
  out.logEntry = String(entry)
  // COPY from files given in memory: hashing loads the on-demand module.
  const withFiles = Template({ fileContext: { 'app/main.py': 'print("hi")\n', 'app/util.py': 'X = 1\n' } })
    .fromImage('python:3.12', undefined, { inheritConfig: false })
    .copy('app', '/app')
  return Template.toJSON(t).then((json) => {
    out.json = json
    return Template.toJSON(withFiles)
  }).then((json) => {
    out.filesHash = JSON.parse(json).steps[0].filesHash
    return out
  })
}
