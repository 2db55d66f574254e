// The statistics of the benchmark report: every figure is a median over rounds with its spread.

/** The value below which a fraction `q` (0..1) of `values` lies (linear interpolation between ranks). */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (sorted.length - 1) * q
  const low = Math.floor(rank)
  const high = Math.ceil(rank)
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low)
}

export const median = (values) => quantile(values, 0.5)

/** Median and range of repeated measurements of one figure. */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length }
}

/**
 * A variant against its baseline, measured in the same rounds: the ratio of each round, then
 * their median and range (a round's ratio cancels load that falls on both alike).
 */
export function ratios(values, baselines) {
  if (values.length !== baselines.length) throw new Error('a ratio needs one baseline per round')
  return summarize(values.map((value, round) => value / baselines[round]))
}

/** Rounds a number for the report: `digits` decimals, or "–" when there is none. */
export function fixed(value, digits = 0) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–'
}

/** `median (min–max)` of a summary, for a table cell. */
export function cell(summary, digits = 0, scale = 1) {
  return `${fixed(summary.median * scale, digits)} (${fixed(summary.min * scale, digits)}–${fixed(summary.max * scale, digits)})`
}
