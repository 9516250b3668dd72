// Small numeric helpers for the benchmark rows.

export function median(xs) {
  return percentile(xs, 50)
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list; NaN when empty. */
export function percentile(xs, p) {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * s.length)
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]
}

export const MB = 1e6

export function fmtBytes(n) {
  if (!Number.isFinite(n)) return 'n/a'
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} MB`
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} KB`
  return `${Math.round(n)} B`
}

export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a'
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`
}

export function fmtRate(mbps) {
  return Number.isFinite(mbps) ? `${mbps.toFixed(0)} MB/s` : 'n/a'
}

/** `ours / official`, and whether that is better for us given the metric's direction. */
export function ratio(ours, official, lowerIsBetter) {
  if (!Number.isFinite(ours) || !Number.isFinite(official) || official === 0) return 'n/a'
  const r = ours / official
  const better = lowerIsBetter ? r < 1 : r > 1
  const verdict = Math.abs(r - 1) < 0.05 ? 'same' : better ? 'better' : 'worse'
  return `${r.toFixed(2)}× (${verdict})`
}
