export interface BackoffOptions {
  /** The first retry waits up to this. */
  baseMs: number
  /** No wait is ever longer. */
  capMs: number
}

/**
 * "Full jitter" exponential backoff: a uniformly random wait in [0, min(cap, base·2^retry)).
 * Spreading retries over the whole interval keeps callers from retrying in lockstep.
 * `retry` counts from 0 (the first retry).
 */
export function fullJitter(retry: number, { baseMs, capMs }: BackoffOptions, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** retry))
}
