// Child process of secrets.test.mjs: runs builds and calls that carry distinctive
// secrets (API key, access token, registry passwords, URL password) and prints
// everything a user could see: every log entry (toString and JSON), the default
// logger's output at debug level, error messages, stacks and util.inspect output,
// return values. All output goes to stdout, in order, between `@@scenario NAME` lines.
// Input: env REL_SECRETS = JSON { pkgEntry, url, badPort, faultyUrl, secrets }.
import { createRequire } from 'node:module'
import { inspect } from 'node:util'

// Everything written to stderr (console.warn/error of the package) joins stdout.
process.stderr.write = process.stdout.write.bind(process.stdout)

const cfg = JSON.parse(process.env.REL_SECRETS)
const require = createRequire(import.meta.url)
const pkg = require(cfg.pkgEntry)
const { Template } = pkg
const S = cfg.secrets
const conn = { apiUrl: cfg.url, apiKey: S.apiKey, accessToken: S.accessToken, debug: true }

const show = (label, v) => console.log(`${label}: ${typeof v === 'string' ? v : inspect(v, { depth: 6 })}`)
function onLogs() {
  const logger = pkg.defaultBuildLogger({ minLevel: 'debug' })
  return (e) => {
    console.log(`entry: ${e.toString()} ${JSON.stringify(e)}`)
    logger(e)
  }
}
async function scenario(name, fn) {
  console.log(`@@scenario ${name}`)
  try {
    show('result', await fn())
  } catch (e) {
    show('error.message', String(e?.message))
    show('error.stack', String(e?.stack))
    show('error.inspect', e)
    show('error.json', JSON.stringify(e))
  }
}

await scenario('build with key, token, registry password (debug, default logger)', () =>
  Template.build(
    Template().fromImage('registry.example.com/team/app:1', { username: 'reluser', password: S.registryPassword }, { inheritConfig: false }).runCmd('echo hi'),
    'sec-ok', { ...conn, onBuildLogs: onLogs() }))

await scenario('failing build with AWS credentials', () =>
  Template.build(
    Template().fromAWSRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1', { accessKeyId: 'AKIARELTEST', secretAccessKey: S.awsSecret, region: 'us-east-1' }).runCmd('make __fail__'),
    'sec-fail-aws', { ...conn, onBuildLogs: onLogs() }))

await scenario('failing pull with GCP and OCI credentials', async () => {
  const r = []
  for (const t of [
    Template().fromGCPRegistry('gcr.io/p/x__missing__:1', { serviceAccountJSON: { type: 'service_account', private_key: S.gcpKey } }),
    Template().fromOCIRegistry('iad.ocir.io/ns/x__missing__:1', { tenancyOcid: 't', userOcid: 'u', fingerprint: 'f', privateKey: S.ociKey, region: 'us-ashburn-1' }),
  ]) {
    try {
      r.push(await Template.build(t, 'sec-fail-pull', { ...conn, onBuildLogs: onLogs() }))
    } catch (e) {
      show('error.message', e.message)
      show('error.stack', e.stack)
      show('error.inspect', e)
    }
  }
  return r
})

await scenario('auth failure (a wrong but distinctive key and token)', () =>
  Template.build(Template().fromTemplate('base').runCmd('echo x'), 'sec-auth', {
    ...conn, apiKey: S.wrongKey, accessToken: S.wrongToken, onBuildLogs: onLogs(),
  }))

await scenario('auth failure on every other call', async () => {
  const c = { ...conn, apiKey: S.wrongKey, accessToken: S.wrongToken }
  for (const call of [
    () => Template.exists('x', c), () => Template.getTags('x', c), () => Template.get('x', c),
    () => Template.list(c).nextPage(), () => Template.assignTags('x:y', ['z'], c), () => Template.removeTags('x', ['z'], c),
    () => Template.delete('x', c), () => Template.getBuildStatus({ templateId: 'a', buildId: 'b' }, c),
    () => Template.buildInBackground(Template().fromTemplate('base'), 'sec-bg', c), () => pkg.Sandbox.create('base', { ...c, debug: false }),
  ]) {
    try {
      show('result', await call())
    } catch (e) {
      show('error.message', e.message)
      show('error.stack', e.stack)
    }
  }
})

await scenario('remote plain-http URL with credentials in it', () =>
  Template.build(Template().fromTemplate('base'), 'sec-url', { ...conn, apiUrl: `http://reluser:${S.urlPassword}@example.com/api`, onBuildLogs: onLogs() }))

await scenario('loopback URL with credentials in it', () =>
  Template.build(Template().fromTemplate('base'), 'sec-url2', { ...conn, apiUrl: `http://reluser:${S.urlPassword}@127.0.0.1:${cfg.badPort}`, onBuildLogs: onLogs() }))

await scenario('malformed URL carrying the key', () =>
  Template.exists('x', { ...conn, apiUrl: `https://exa mple.com/?key=${S.urlPassword}` }))

await scenario('connection refused', () =>
  Template.build(Template().fromTemplate('base'), 'sec-refused', { ...conn, apiUrl: `http://127.0.0.1:${cfg.badPort}`, onBuildLogs: onLogs() }))

await scenario('builds under faults (retries logged at debug)', async () => {
  const out = []
  for (let i = 0; i < 3; i++) {
    try {
      out.push(await Template.build(Template().fromTemplate('base').runCmd(`echo f${i}`), `sec-fault-${i}`, { ...conn, apiUrl: cfg.faultyUrl, onBuildLogs: onLogs() }))
    } catch (e) {
      show('error.message', e.message)
      show('error.stack', e.stack)
    }
  }
  return out
})

await scenario('timeouts', () =>
  Template.build(Template().fromTemplate('base'), 'sec-timeout', { ...conn, apiUrl: cfg.faultyUrl, requestTimeoutMs: 1, onBuildLogs: onLogs() }))

await scenario('template display: toDockerfile, toJSON redacted, inspect', async () => {
  const t = Template().fromImage('registry.example.com/team/app:1', { username: 'reluser', password: S.registryPassword }, { inheritConfig: false }).runCmd('echo hi')
  show('toDockerfile', Template.toDockerfile(t))
  show('toJSON redacted', await Template.toJSON(t, false, { redact: true }))
  show('inspect', t)
  show('String', String(t))
  return 'done'
})

await scenario('status and info objects', async () => {
  const info = await Template.build(Template().fromTemplate('base').runCmd('echo st'), 'sec-status', conn)
  show('status', await Template.getBuildStatus(info, { ...conn, logsOffset: 0 }))
  show('get', await Template.get(info.templateId, conn))
  show('tags', await Template.getTags(info.templateId, conn))
  const sbx = await pkg.Sandbox.create(info.templateId, { ...conn, debug: false })
  show('sandbox', sbx)
  await sbx.kill()
  return info
})
console.log('@@done')
