// Rows 4 and 6: a build whose log entries arrive at known times (the emulator with
// --step-ms 500, a template of N RUN steps; each entry carries the server's
// timestamp). Status requests per build (the emulator's request log), log delivery
// latency (receive time in onBuildLogs minus the entry's timestamp), and the bytes
// on the wire per build (a counting TCP proxy in front of the emulator).
import { runWorker } from '../lib/child.mjs'
import { median, percentile, fmtMs, fmtBytes, ratio } from '../lib/stats.mjs'

export async function pollingRows({ pkg, worker, emu, proxy, stepMs, runSteps, builds = 2, wire = true }) {
  const r = { ours: { polls: [], lat: [], sent: [], recv: [], entries: [], batches: [], delivered: [], ms: [] }, official: { polls: [], lat: [], sent: [], recv: [], entries: [], batches: [], delivered: [], ms: [] } }
  for (let i = 0; i < builds; i++) {
    for (const sdk of ['official', 'ours']) {
      const reqBefore = emu.requests.length
      const before = proxy.snapshot()
      const res = await runWorker(worker, {
        task: 'build', sdk, pkg, runSteps, url: proxy.url, directUrl: emu.url, key: emu.key, name: `bench-poll-${sdk}-${i}`,
      }, { timeoutMs: 120000 })
      if (res.error) throw new Error(`${sdk} polling build: ${res.error}`)
      await new Promise((ok) => setTimeout(ok, 300)) // let the request log and the proxy catch up
      const after = proxy.snapshot()
      // The worker's own direct read of the full log is not a poll of the SDK: skip the last status request.
      const reqs = emu.requests.slice(reqBefore).filter((q) => q.method === 'GET' && /\/builds\/[^/]+\/status$/.test(q.path))
      const x = r[sdk]
      x.polls.push(reqs.length - 1)
      x.lat.push(...res.latencies)
      x.sent.push(after.sent - before.sent)
      x.recv.push(after.received - before.received)
      x.entries.push(res.serverEntries)
      x.batches.push(res.batches)
      x.delivered.push(res.delivered)
      x.ms.push(res.ms)
    }
  }
  const o = r.ours
  const f = r.official
  const avg = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length
  const buildS = (x) => (avg(x.ms) / 1000).toFixed(1)
  const entries = `server entries per build delivered: ours ${avg(o.delivered).toFixed(0)} of ${avg(o.entries).toFixed(0)}, official ${avg(f.delivered).toFixed(0)} of ${avg(f.entries).toFixed(0)} (the emulator writes a few more lines for some builds)`
  const profile = `${runSteps} × ${stepMs} ms`
  const rows = [
    {
      section: '4. Polling', metric: `status requests per build (${runSteps} RUN steps × ${stepMs} ms, mean of ${builds})`,
      ours: avg(o.polls).toFixed(1), official: avg(f.polls).toFixed(1), ratio: ratio(avg(o.polls), avg(f.polls), true),
      limit: `${avg(f.batches).toFixed(0)} (one per batch of entries the server wrote)`, note: `build wall time: ours ${buildS(o)} s, official ${buildS(f)} s`,
    },
    {
      section: '4. Polling', metric: `log delivery latency p50 (${profile})`,
      ours: fmtMs(median(o.lat)), official: fmtMs(median(f.lat)), ratio: ratio(median(o.lat), median(f.lat), true),
      limit: '—', note: entries,
    },
    {
      section: '4. Polling', metric: `log delivery latency p95 (${profile})`,
      ours: fmtMs(percentile(o.lat, 95)), official: fmtMs(percentile(f.lat, 95)), ratio: ratio(percentile(o.lat, 95), percentile(f.lat, 95), true),
      limit: '≤ 500 ms (issue 13)', note: 'receive time in onBuildLogs − server timestamp of the entry; requests: ≤ 0.5× the official\'s (issue 13)',
    },
  ]
  if (!wire) return rows
  rows.push(
    {
      section: '6. Wire', metric: 'bytes sent per build (same template, no copy)',
      ours: fmtBytes(avg(o.sent)), official: fmtBytes(avg(f.sent)), ratio: ratio(avg(o.sent), avg(f.sent), true),
      limit: '—', note: 'on the socket, headers included',
    },
    {
      section: '6. Wire', metric: 'bytes received per build (same template, no copy)',
      ours: fmtBytes(avg(o.recv)), official: fmtBytes(avg(f.recv)), ratio: ratio(avg(o.recv), avg(f.recv), true),
      limit: '—', note: 'on the socket, headers included',
    },
  )
  return rows
}
