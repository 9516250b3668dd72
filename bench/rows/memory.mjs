// Row 5: peak RSS (VmHWM of the worker process, read from /proc/self/status when the
// build returns) while building a template that copies a large context.
import { join } from 'node:path'
import { runWorker } from '../lib/child.mjs'
import { fmtBytes, ratio } from '../lib/stats.mjs'

export async function memoryRows({ ctx, pkg, worker, emu, timeoutMs }) {
  const root = join(ctx.dir, '..')
  const src = ctx.dir.slice(root.length + 1)
  const r = {}
  for (const sdk of ['official', 'ours']) {
    r[sdk] = await runWorker(worker, {
      task: 'build', sdk, pkg, context: root, src, dest: `/mem-${sdk}`, runSteps: 0,
      url: emu.url, directUrl: emu.url, key: emu.key, name: `bench-memory-${sdk}`,
    }, { timeoutMs })
  }
  const cell = (x) => (x.error ? `n/a (copy not available: ${x.error})` : fmtBytes(x.peakRss))
  const base = (x) => (x.error ? '—' : fmtBytes(x.baseRss))
  return [{
    section: '5. Memory', metric: `peak RSS, build copying ${ctx.files} files / ${fmtBytes(ctx.bytes)}`,
    ours: cell(r.ours), official: cell(r.official),
    ratio: r.ours.error || r.official.error ? 'n/a' : ratio(r.ours.peakRss, r.official.peakRss, true),
    limit: `${fmtBytes(ctx.bytes)} (context size)`,
    note: `VmHWM of the build process; before the build: ours ${base(r.ours)}, official ${base(r.official)}`,
  }]
}
