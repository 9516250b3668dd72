// Row 3: copy() throughput over a generated context, in MB/s of file contents:
// hashing (`Template.toJSON`) and the build path up to "All file uploads completed"
// (hash + tar.gz + upload to the emulator), ours vs official, against sha256sum and
// `tar czf` on the same files. Also feeds row 6 (bytes uploaded, via the proxy).
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { runWorker } from '../lib/child.mjs'
import { MB, fmtRate, fmtBytes, ratio } from '../lib/stats.mjs'

/** Runs a shell pipeline; MB/s of `bytes` over its wall time. */
function timeShell(cmd, bytes) {
  const t0 = performance.now()
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 20 })
  const s = (performance.now() - t0) / 1000
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`)
  return { mbps: bytes / MB / s, stdout: String(r.stdout).trim() }
}

const na = (r) => `n/a (copy not available: ${r.error})`

export async function copyRows({ ctx, pkg, worker, emu, proxy, timeoutMs, runs = 2 }) {
  const root = join(ctx.dir, '..')
  const src = ctx.dir.slice(root.length + 1)
  // Warm the page cache, so every contestant reads from memory.
  timeShell(`cat $(find ${JSON.stringify(ctx.dir)} -type f) > /dev/null`, ctx.bytes)
  const sha = timeShell(`find ${JSON.stringify(ctx.dir)} -type f -print0 | xargs -0 sha256sum > /dev/null`, ctx.bytes)
  // sha256sum (coreutils) does not use the CPU's SHA instructions; OpenSSL (as Node's crypto) does.
  let ossl = null
  try {
    ossl = timeShell(`find ${JSON.stringify(ctx.dir)} -type f -print0 | xargs -0 cat | openssl dgst -sha256 > /dev/null`, ctx.bytes)
  } catch {}
  const tgz = timeShell(`tar czf - -C ${JSON.stringify(root)} ${JSON.stringify(src)} | wc -c`, ctx.bytes)
  const tgzBytes = Number(tgz.stdout)

  // Best of `runs` for each SDK (alternating), as other work on a shared machine only slows a run down.
  const hash = { ours: null, official: null }
  const hashes = { ours: [], official: [] }
  const build = { ours: null, official: null }
  const faster = (a, b, key) => (!a || (!b.error && (a.error || b[key] < a[key])) ? b : a)
  for (let i = 0; i < runs; i++) {
    for (const sdk of ['official', 'ours']) {
      const h = await runWorker(worker, { task: 'hash', sdk, pkg, context: root, src, dest: '/app' }, { timeoutMs })
      hash[sdk] = faster(hash[sdk], h, 'ms')
      if (h.filesHash) hashes[sdk].push(h.filesHash)
      const before = proxy.snapshot()
      const b = await runWorker(worker, {
        task: 'build', sdk, pkg, context: root, src, dest: `/app-${sdk}-${i}`, runSteps: 0,
        url: proxy.url, directUrl: emu.url, key: emu.key, name: `bench-copy-${sdk}-${i}`,
      }, { timeoutMs })
      await new Promise((r) => setTimeout(r, 200))
      b.sent = proxy.snapshot().sent - before.sent
      build[sdk] = faster(build[sdk], b, 'uploadsDone')
    }
  }
  const mbps = (r, key) => (r.error || !Number.isFinite(r[key]) ? NaN : ctx.bytes / MB / (r[key] / 1000))
  const cell = (r, key) => (r.error ? na(r) : fmtRate(mbps(r, key)))
  const size = `${ctx.files} files, ${fmtBytes(ctx.bytes)}`
  const distinct = (xs) => new Set(xs).size
  const agree = hashes.official.filter((h) => hashes.ours.includes(h)).length
  const same = !hashes.ours.length || !hashes.official.length ? '' :
    `filesHash: ours ${distinct(hashes.ours) === 1 ? 'the same' : 'DIFFERENT'} in all ${hashes.ours.length} runs; official equal to ours in ${agree} of ${hashes.official.length} runs` +
    (distinct(hashes.official) > 1 ? ' (its own value varies from run to run: racy walk order with several subdirectories, docs/wire-contract.md §5.3)' : '')
  return [
    {
      section: '3. copy()', metric: `hash (Template.toJSON), ${size}, best of ${runs}`,
      ours: cell(hash.ours, 'ms'), official: cell(hash.official, 'ms'),
      ratio: ratio(mbps(hash.ours, 'ms'), mbps(hash.official, 'ms'), false),
      limit: `${fmtRate(sha.mbps)} (sha256sum)${ossl ? `; ${fmtRate(ossl.mbps)} (openssl dgst)` : ''}`, note: same,
    },
    {
      section: '3. copy()', metric: `build until uploads done (hash + tar.gz + PUT), ${size}, best of ${runs}`,
      ours: cell(build.ours, 'uploadsDone'), official: cell(build.official, 'uploadsDone'),
      ratio: ratio(mbps(build.ours, 'uploadsDone'), mbps(build.official, 'uploadsDone'), false),
      limit: `${fmtRate(tgz.mbps)} (tar czf)`, note: 'time from Template.build() to the "All file uploads completed" log entry; uploads go to a spooling sink on 127.0.0.1 (lib/upload-sink.mjs), so the debug emulator\'s ~30 MB/s ingest does not cap the figure',
    },
    {
      section: '6. Wire', metric: `bytes sent for the copy build (${fmtBytes(ctx.bytes)} context)`,
      ours: build.ours.error ? na(build.ours) : fmtBytes(build.ours.sent), official: build.official.error ? `n/a (${build.official.error})` : fmtBytes(build.official.sent),
      ratio: build.ours.error || build.official.error ? 'n/a' : ratio(build.ours.sent, build.official.sent, true),
      limit: `${fmtBytes(tgzBytes)} (tar czf output)`, note: 'all requests of the build, measured on the socket (headers included)',
    },
  ]
}
