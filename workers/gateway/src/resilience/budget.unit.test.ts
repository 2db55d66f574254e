import { describe, expect, it } from 'vitest'
import { createRetryBudget } from './budget'

function manualClock(start = 0) {
  let now = start
  return { now: () => now, advance: (ms: number) => void (now += ms) }
}

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
