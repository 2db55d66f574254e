import { describe, expect, it } from 'vitest'
import { fullJitter } from './backoff'
import { createRetryBudget } from './budget'
import { createBulkhead } from './bulkhead'
import { isIdempotent, isRetryable, parseRetryAfter, retryDelay, DEFAULT_RETRY } from './retry'
import { TimeoutError, withTimeout, type Timers } from './timeout'

function manualClock(start = 0) {
  let now = start
  return { now: () => now, advance: (ms: number) => void (now += ms) }
}

/** Timers a test fires by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>()
  let next = 0
  const timers: Timers = {
    setTimeout: (run) => (pending.set(++next, run), next),
    clearTimeout: (handle) => void pending.delete(handle as number),
  }
  return { timers, pending, fireAll: () => [...pending.values()].forEach((run) => run()) }
}

describe('bulkhead', () => {
  it('admits up to its capacity, refuses the rest at once, and frees a slot on release (once)', () => {
    const bulkhead = createBulkhead(2)
    const a = bulkhead.tryEnter()
    const b = bulkhead.tryEnter()
    expect([a, b].every(Boolean)).toBe(true)
    expect(bulkhead.tryEnter()).toBeNull()
    a!()
    a!()
    expect(bulkhead.active).toBe(1)
    expect(bulkhead.tryEnter()).not.toBeNull()
    expect(bulkhead.tryEnter()).toBeNull()
  })

  it('fails at creation on a bad capacity', () => {
    expect(() => createBulkhead(0)).toThrow(/positive integer/)
  })
})

describe('timeout', () => {
  it('rejects with TimeoutError and aborts the call’s signal when time runs out', async () => {
    const { timers, fireAll } = manualTimers()
    let signal: AbortSignal | undefined
    const call = withTimeout(100, (s) => ((signal = s), new Promise<never>(() => {})), timers)
    fireAll()
    await expect(call).rejects.toBeInstanceOf(TimeoutError)
    expect(signal?.aborted).toBe(true)
  })

  it('answers the call’s result and clears its timer when the call is in time', async () => {
    const { timers, pending } = manualTimers()
    expect(await withTimeout(100, async () => 'done', timers)).toBe('done')
    expect(pending.size).toBe(0)
  })
})

describe('full-jitter backoff', () => {
  it('waits a random share of base·2^retry, capped', () => {
    const options = { baseMs: 50, capMs: 1_000 }
    expect([0, 1, 2, 3, 10].map((retry) => fullJitter(retry, options, () => 0.999999))).toEqual([49, 99, 199, 399, 999])
    expect(fullJitter(5, options, () => 0)).toBe(0)
    expect(fullJitter(1, options, () => 0.5)).toBe(50)
  })
})

describe('retry budget', () => {
  it('allows retries up to 10% of the calls in the window, with a floor for quiet services', () => {
    const clock = manualClock()
    const budget = createRetryBudget({ ratio: 0.1, minRetries: 2, windowMs: 10_000, buckets: 10 }, clock)
    for (let i = 0; i < 10; i += 1) budget.recordCall()
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]) // floor 2 > 10%·10
    for (let i = 0; i < 30; i += 1) budget.recordCall()
    expect(budget.tryRetry()).toBe(true) // 10% of 40 = 4
    expect(budget.tryRetry()).toBe(true)
    expect(budget.tryRetry()).toBe(false)
    expect(budget.stats()).toEqual({ calls: 40, retries: 4 })
  })

  it('forgets calls and retries once they leave the window', () => {
    const clock = manualClock()
    const budget = createRetryBudget({ ratio: 0.1, minRetries: 1, windowMs: 10_000, buckets: 10 }, clock)
    budget.recordCall()
    expect(budget.tryRetry()).toBe(true)
    expect(budget.tryRetry()).toBe(false)
    clock.advance(10_000)
    expect(budget.stats()).toEqual({ calls: 0, retries: 0 })
    expect(budget.tryRetry()).toBe(true)
  })
})

describe('retry policy', () => {
  const generous = () => createRetryBudget({ ratio: 1, minRetries: 100, windowMs: 10_000, buckets: 10 }, manualClock())
  const timeout = { kind: 'timeout' } as const
  const ask = (method: string, attempts = 1, result: Parameters<typeof isRetryable>[0] = timeout, remainingMs = 10_000) =>
    retryDelay({ method, attempts, result, remainingMs }, DEFAULT_RETRY, generous(), () => 0.5)

  it('retries idempotent methods only: never POST or PATCH', () => {
    expect(['GET', 'HEAD', 'PUT', 'DELETE'].every(isIdempotent)).toBe(true)
    expect(['POST', 'PATCH'].some(isIdempotent)).toBe(false)
    expect(ask('GET')).toBe(25)
    expect(ask('POST')).toBeNull()
    expect(ask('PATCH')).toBeNull()
  })

  it('retries network errors, timeouts, 502, 503 and 504 only — never 500 or a 4xx', () => {
    const response = (status: number) => ({ kind: 'response', status, retryAfterMs: null }) as const
    expect([{ kind: 'network' } as const, timeout, response(502), response(503), response(504)].every(isRetryable)).toBe(true)
    expect([500, 400, 404, 409, 429].map(response).some(isRetryable)).toBe(false)
  })

  it('stops after the last attempt and when the deadline leaves no time', () => {
    expect(ask('GET', DEFAULT_RETRY.maxAttempts)).toBeNull()
    expect(ask('GET', 1, timeout, 25)).toBeNull()
    expect(ask('GET', 1, timeout, 26)).toBe(25)
  })

  it('never retries sooner than a Retry-After says, nor when it points past the deadline', () => {
    const busy = (seconds: number) => ({ kind: 'response', status: 503, retryAfterMs: seconds * 1_000 }) as const
    expect(ask('GET', 1, busy(2))).toBe(2_000)
    expect(ask('GET', 1, busy(20))).toBeNull()
  })

  it('stops when the retry budget is spent', () => {
    const budget = createRetryBudget({ ratio: 0, minRetries: 1, windowMs: 10_000, buckets: 10 }, manualClock())
    const question = { method: 'GET', attempts: 1, result: timeout, remainingMs: 10_000 }
    expect(retryDelay(question, DEFAULT_RETRY, budget, () => 0)).toBe(0)
    expect(retryDelay(question, DEFAULT_RETRY, budget, () => 0)).toBeNull()
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-25T12:00:00Z')
    expect(parseRetryAfter('3', now)).toBe(3_000)
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:05 GMT', now)).toBe(5_000)
    expect(parseRetryAfter(null, now)).toBeNull()
    expect(parseRetryAfter('soon', now)).toBeNull()
  })
})
