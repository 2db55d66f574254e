/**
 * How often isolates report to one breaker (docs/adr/0055). Each isolate sends at most one
 * aggregated report per interval, so a breaker receives about (busy isolates ÷ interval) calls a
 * second — bounded in the request rate, not in the number of isolates. The object counts what it
 * receives and tells every caller the interval to use: it lengthens the interval while it hears
 * more than `target` calls a second and shortens it again when it hears under half of that. Outcomes
 * that would change the breaker's state are reported at once whatever the interval.
 */
export interface PaceOptions {
  /** The interval with few isolates: the freshest view worth paying for. */
  minMs: number
  /** The longest interval: beyond it a copy is too old to trust (the gate's own limit). */
  maxMs: number
  /** Calls a second the object aims to stay under. */
  target: number
}

export const DEFAULT_PACE: PaceOptions = { minMs: 250, maxMs: 5_000, target: 200 }

/** The next interval, from the current one and the calls a second the object heard under it. */
export function nextInterval(currentMs: number, callsPerSecond: number, options: PaceOptions = DEFAULT_PACE): number {
  let next = currentMs
  if (callsPerSecond > options.target) next = currentMs * (callsPerSecond / options.target)
  else if (callsPerSecond < options.target / 2) next = currentMs / 2
  return Math.round(Math.min(options.maxMs, Math.max(options.minMs, next)))
}

/** Counts calls over one-second windows and keeps the interval (in memory: an evicted object starts at `minMs` again). */
export class ReportPace {
  #intervalMs: number
  #windowStart = 0
  #calls = 0

  constructor(private readonly options: PaceOptions = DEFAULT_PACE) {
    this.#intervalMs = options.minMs
  }

  /** Records one call at `now`; answers the interval callers should report at. */
  hear(now: number): number {
    if (now - this.#windowStart >= 1_000) {
      const elapsed = this.#windowStart === 0 ? 1_000 : now - this.#windowStart
      if (this.#windowStart !== 0) this.#intervalMs = nextInterval(this.#intervalMs, (this.#calls * 1_000) / elapsed, this.options)
      this.#windowStart = now
      this.#calls = 0
    }
    this.#calls += 1
    return this.#intervalMs
  }
}
