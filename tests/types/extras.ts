// What this package adds to the Template API, type-checked against its declarations:
// progress, the deadline, cancel with deleteOnAbort, plans, waitForBuild, errors'
// fields, browser file sources and the lazy entry.
import {
  Template,
  AbortError,
  BuildError,
  InvalidArgumentError,
  NetworkError,
  type BuildPlan,
  type BuildProgress,
  type UploadProgress,
  type WaitForBuildResult,
} from 'novita-template-wasm'
import { init } from 'novita-template-wasm/lazy'

export async function extras(): Promise<void> {
  await init()
  const t = Template({ fileContext: { 'app.py': 'print(1)', 'data.bin': new Uint8Array(2), 'b.txt': new Blob(['x']) } })
    .fromPythonImage('3.12')
    .copy('app.py', '/app/')
  const ac = new AbortController()
  const plan: BuildPlan = await Template.plan(t, 'app', { apiKey: 'k' })
  const bytes: number = plan.uploadBytes + plan.copies.reduce((n, c) => n + c.bytes, 0)
  const steps: string[] = plan.steps.map((s) => `${s.step}: ${s.description}`)
  const shown: string = await Template.toJSON(t, false, { redact: true, registryUrl: 'http://127.0.0.1:3000/registry' })
  await Template.build(t, 'app', {
    signal: ac.signal,
    deleteOnAbort: true,
    timeoutMs: 600_000,
    registryUrl: 'http://127.0.0.1:3000/registry',
    onBuildProgress: (p: BuildProgress) => console.log(p.index, p.total, p.state, p.cached, p.durationMs),
    onUploadProgress: (u: UploadProgress) => console.log(u.src, u.phase, u.bytesDone / u.bytesTotal),
  })
  const bg = await Template.buildInBackground(t, 'app')
  const done: WaitForBuildResult = await Template.waitForBuild(bg, { template: t, timeoutMs: 60_000, onBuildProgress: () => {} })
  try {
    await Template.build(t, 'app')
  } catch (e) {
    if (e instanceof BuildError) console.log(e.step, e.stepDescription, e.reason, e.hint, e.logTail?.length)
    if (e instanceof AbortError) console.log(e.serverBuild, e.templateId)
    if (e instanceof InvalidArgumentError) console.log(e.method, e.argument)
    if (e instanceof NetworkError) console.log(e.message)
  }
  // @ts-expect-error: serverBuild is one of three states
  const state: AbortError['serverBuild'] = 'cancelled'
  console.log(bytes, steps, shown, done.logsOffset, state)
}
