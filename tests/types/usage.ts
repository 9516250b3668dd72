// Compiled with `tsc --noEmit` (make test-types) against the built package's
// declarations: every public call as a user writes it must type-check, and the
// `@ts-expect-error` lines must not.
import {
  Template,
  TemplateBase,
  ReadyCmd,
  Sandbox,
  LogEntry,
  LogEntryStart,
  LogEntryEnd,
  BuildError,
  TemplateError,
  FileUploadError,
  AuthenticationError,
  RateLimitError,
  InvalidArgumentError,
  AbortError,
  defaultBuildLogger,
  waitForPort,
  waitForURL,
  waitForProcess,
  waitForFile,
  waitForTimeout,
  stripAnsi,
  type BuildInfo,
  type BuildOptions,
  type BuildStatus,
  type TemplateInfo,
  type TemplateTag,
} from 'novita-template-wasm'

async function main(): Promise<void> {
  const t: TemplateBase = Template({ fileContextPath: '.', fileIgnorePatterns: ['*.log'] })
    .fromImage('registry.example.com/app:1', { username: 'u', password: 'p' }, { inheritConfig: false })
    .fromPythonImage('3.12')
    .fromNodeImage()
    .fromAWSRegistry('acct.dkr.ecr.us-east-1.amazonaws.com/app:1', { accessKeyId: 'a', secretAccessKey: 's', region: 'us-east-1' })
    .fromGCPRegistry('us-docker.pkg.dev/p/r/app:1', { serviceAccountJSON: { type: 'service_account' } })
    .fromOCIRegistry('iad.ocir.io/ns/app:1', { tenancyOcid: 't', userOcid: 'u', fingerprint: 'f', privateKey: 'k', region: 'r' })
    .fromHuaweiCloudRegistry('swr.example.com/ns/app:1', { accessKeyId: 'a', secretAccessKey: 's', region: 'r' })
    .skipCache()
    .copy(['a.txt', 'b.txt'], '/data/', { user: 'root', mode: 0o644, forceUpload: true, resolveSymlinks: false })
    .copyItems([{ src: 'setup.sh', dest: '/usr/local/bin/', mode: 0o755 }])
    .remove('/tmp/x', { recursive: true, force: true })
    .rename('/a', '/b', { force: true })
    .makeDir(['/opt/a', '/opt/b'], { mode: 0o750 })
    .makeSymlink('/a', '/b')
    .runCmd(['apt-get update', 'true'], { user: 'root' })
    .setWorkdir('/app')
    .setUser('user')
    .pipInstall(['flask'], { g: false })
    .pipInstall()
    .npmInstall('typescript', { g: true, dev: false })
    .bunInstall(undefined, { dev: true })
    .aptInstall(['curl'], { noInstallRecommends: true, fixMissing: true })
    .gitClone('https://example.com/r.git', '/opt/r', { branch: 'main', depth: 1 })
    .setEnvs({ A: '1' })
    .setPatchCmd('echo patched')
    .setStartCmd('python app.py', waitForPort(8000))
    .setReadyCmd(waitForURL('http://localhost:8000/health', 204))
  const ready: ReadyCmd[] = [waitForProcess('nginx'), waitForFile('/tmp/ready'), waitForTimeout(5000)]
  const cmd: string = ready[0].getCmd()
  const t2 = new Template().fromTemplate('base').fromDockerfile('FROM python:3.12\nRUN echo hi\n')
  const browserSource = Template({ fileContext: { 'app.py': 'print(1)', 'data.bin': new Uint8Array(2), 'b.txt': new Blob(['x']) } })

  const json: string = await Template.toJSON(t)
  const shown: string = await Template.toJSON(t, false, { redact: true, registryUrl: 'http://127.0.0.1:3000/registry' })
  const dockerfile: string = Template.toDockerfile(t2)

  const ac = new AbortController()
  const options: BuildOptions = {
    apiUrl: 'http://127.0.0.1:3000',
    apiKey: 'k',
    tags: ['v1'],
    cpuCount: 2,
    memoryMB: 1024,
    skipCache: true,
    requestTimeoutMs: 30000,
    signal: ac.signal,
    onBuildLogs: (e: LogEntry) => {
      const s: string = e.toString()
      const when: Date = e.timestamp
      if (e instanceof LogEntryStart || e instanceof LogEntryEnd) console.log(s, when)
    },
  }
  const info: BuildInfo = await Template.build(t, 'name:tag', options)
  const legacy: BuildInfo = await Template.build(t, { alias: 'old-style', apiKey: 'k' })
  const bg: BuildInfo = await Template.buildInBackground(t, 'bg', { onBuildLogs: defaultBuildLogger({ minLevel: 'warn' }) })
  const status: BuildStatus = await Template.getBuildStatus({ templateId: bg.templateId, buildId: bg.buildId }, { logsOffset: 0 })
  const lines: string[] = status.logEntries.map((e) => stripAnsi(e.message))
  const exists: boolean = await Template.exists('name')
  const alias: boolean = await Template.aliasExists('name', { domain: 'us-phx-1.sandbox.novita.ai' })
  const assigned: { buildId: string; tags: string[] } = await Template.assignTags('name:v1', ['prod'])
  await Template.removeTags('name', 'prod')
  const tags: TemplateTag[] = await Template.getTags(info.templateId)
  const got: TemplateInfo = await Template.get(info.templateId)
  const pages = Template.list({ limit: 50, templateType: 'template_build' })
  while (pages.hasNext) {
    const page: TemplateInfo[] = await pages.nextPage()
    console.log(page.length, pages.currentPage)
  }
  const deleted: boolean = await Template.delete(info.templateId)
  const sandbox: Sandbox = await Sandbox.create(info.templateId, { timeoutMs: 60000, envs: { A: '1' } })
  const id: string = sandbox.sandboxId
  await sandbox.kill()
  const killed: boolean = await Sandbox.kill(id)

  try {
    await Template.build(t, 'x')
  } catch (e) {
    if (e instanceof BuildError) console.log(e.step, e.stepDescription, e.status)
    if (e instanceof FileUploadError || e instanceof AuthenticationError || e instanceof RateLimitError) console.log(e.message)
    if (e instanceof TemplateError || e instanceof InvalidArgumentError || e instanceof AbortError) console.log(e.name)
  }

  // @ts-expect-error: runCmd takes a string or an array of strings
  Template().runCmd(42)
  // @ts-expect-error: cpuCount is a number
  await Template.build(t, 'x', { cpuCount: 'two' })
  // @ts-expect-error: onBuildLogs receives a LogEntry
  await Template.build(t, 'x', { onBuildLogs: (e: number) => e })

  console.log(cmd, json, shown, dockerfile, browserSource, legacy, lines, exists, alias, assigned, tags, got, deleted, killed)
}

void main
