// A program written against novita-sandbox's typings, for the Template API. The
// type test compiles it against novita-sandbox 2.1.1 and against this package (the
// import specifier is replaced): replacing the import must be the whole migration.
import {
  Template,
  TemplateBase,
  TemplateApi,
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
  TemplateBuildTimeoutError,
  defaultBuildLogger,
  waitForPort,
  waitForURL,
  waitForProcess,
  waitForFile,
  waitForTimeout,
  type BuildInfo,
  type BuildOptions,
  type TemplateBuilder,
  type TemplateClass,
  type TemplateBuildStatusResponse,
  type TemplateInfo,
  type TemplateListResponse,
  type TemplateTag,
  type TemplateTagInfo,
  type LogEntryLevel,
} from 'SDK'

export async function common(): Promise<void> {
  const t: TemplateClass = Template({ fileContextPath: '.', fileIgnorePatterns: ['*.log'] })
    .fromImage('registry.example.com/app:1', { username: 'u', password: 'p' }, { inheritConfig: false })
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
  const builder: TemplateBuilder = Template().fromPythonImage('3.12').pipInstall('flask')
  const final = builder.setReadyCmd(waitForURL('http://localhost:8000/health', 204))
  const ready: ReadyCmd[] = [waitForProcess('nginx'), waitForFile('/tmp/ready'), waitForTimeout(5000)]
  const cmd: string = ready[0].getCmd()
  const other = Template().fromNodeImage().runCmd('npm ci')
  const fromFile = new TemplateBase().fromDockerfile('FROM python:3.12\nRUN echo hi\n')

  const json: string = await Template.toJSON(t)
  const dockerfile: string = Template.toDockerfile(fromFile)

  const level: LogEntryLevel = 'info'
  const options: BuildOptions = {
    alias: 'name',
    apiKey: 'k',
    tags: ['v1'],
    cpuCount: 2,
    memoryMB: 1024,
    skipCache: true,
    requestTimeoutMs: 30000,
    onBuildLogs: (e: LogEntry) => {
      const s: string = e.toString()
      const when: Date = e.timestamp
      if (e instanceof LogEntryStart || e instanceof LogEntryEnd) console.log(s, when, level)
    },
  }
  const info: BuildInfo = await Template.build(final, 'name:tag', { apiKey: 'k', onBuildLogs: defaultBuildLogger() })
  const legacy: BuildInfo = await Template.build(other, options)
  const bg: BuildInfo = await Template.buildInBackground(t, 'bg', { onBuildLogs: defaultBuildLogger({ minLevel: 'warn' }) })
  const status: TemplateBuildStatusResponse = await Template.getBuildStatus({ templateId: bg.templateId, buildId: bg.buildId }, { logsOffset: 0 })
  const lines: string[] = status.logEntries.map((e) => e.message)
  const exists: boolean = await Template.exists('name')
  const assigned: TemplateTagInfo = await Template.assignTags('name:v1', ['prod'])
  await Template.removeTags('name', 'prod')
  const tags: TemplateTag[] = await Template.getTags(info.templateId)
  const got: TemplateInfo = await Template.get(info.templateId)
  const pages = Template.list({ limit: 50, templateType: 'template_build' })
  while (pages.hasNext) {
    const page: TemplateListResponse = await pages.nextPage()
    console.log(page.templates.length, page.totalPages, pages.currentPage)
  }
  const deleted: boolean = await TemplateApi.deleteTemplate(info.templateId)
  const sandbox: Sandbox = await Sandbox.create(info.templateId)
  const id: string = sandbox.sandboxId
  await sandbox.kill()

  try {
    await Template.build(t, 'x')
  } catch (e) {
    if (e instanceof TemplateBuildTimeoutError) console.log(e.message)
    if (e instanceof BuildError || e instanceof FileUploadError || e instanceof AuthenticationError) console.log(e.message)
    if (e instanceof TemplateError || e instanceof InvalidArgumentError || e instanceof RateLimitError) console.log(e.name)
  }

  // @ts-expect-error: runCmd takes a string or an array of strings
  Template().fromBaseImage().runCmd(42)
  // @ts-expect-error: cpuCount is a number
  await Template.build(t, 'x', { cpuCount: 'two' })

  console.log(cmd, json, dockerfile, legacy, lines, exists, assigned, tags, got, deleted, id)
}
