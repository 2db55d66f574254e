import { describe, expect, it } from 'vitest'
import { createRetryBudget } from './budget'
import { isIdempotent, isRetryable, parseRetryAfter, retryDelay, DEFAULT_RETRY } from './retry'

function manualClock(start = 0) {
  let now = start
  return { now: () => now, advance: (ms: number) => void (now += ms) }
}

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
