import { systemClock, type Clock } from './timing'

export interface RetryBudgetOptions {
  /** Retries may be at most this share of the calls in the window (0.1 = 10%). */
  ratio: number
  /** A floor so that a quiet service can still be retried a little. */
  minRetries: number
  windowMs: number
  /** The window slides in this many steps. */
  buckets: number
}

export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = { ratio: 0.1, minRetries: 10, windowMs: 10_000, buckets: 10 }

/**
 * A retry budget (as in Finagle and gRPC): retries stay under `ratio` of the calls of the last
 * `windowMs` (or `minRetries`, whichever is more). When a service is down every call fails;
 * without a budget each would be retried and the retries would multiply the load on it.
 */
export interface RetryBudget {
  /** Counts a call (its first attempt). */
  recordCall(): void
  /** Takes one retry from the budget; false when it is spent. */
  tryRetry(): boolean
  stats(): { calls: number; retries: number }
}

export function createRetryBudget(options: RetryBudgetOptions = DEFAULT_RETRY_BUDGET, clock: Clock = systemClock): RetryBudget {
  const bucketMs = options.windowMs / options.buckets
  const counts = new Map<number, { calls: number; retries: number }>()
  // The bucket of the last call: within the same slot nothing needs pruning or looking up.
  let lastSlot = Number.NaN
  let lastBucket = { calls: 0, retries: 0 }
  function current() {
    const slot = Math.floor(clock.now() / bucketMs)
    if (slot === lastSlot) return lastBucket
    for (const key of counts.keys()) if (key <= slot - options.buckets) counts.delete(key)
    let bucket = counts.get(slot)
    if (!bucket) {
      bucket = { calls: 0, retries: 0 }
      counts.set(slot, bucket)
    }
    lastSlot = slot
    lastBucket = bucket
    return bucket
  }
  function stats() {
    current()
    let calls = 0
    let retries = 0
    for (const bucket of counts.values()) {
      calls += bucket.calls
      retries += bucket.retries
    }
    return { calls, retries }
  }
  return {
    recordCall() {
      current().calls += 1
    },
    tryRetry() {
      const { calls, retries } = stats()
      if (retries >= Math.max(options.minRetries, Math.floor(options.ratio * calls))) return false
      current().retries += 1
      return true
    },
    stats,
  }
}
