import { describe, expect, it } from 'vitest'
import { nextAttemptAt, stepWaitMs, withinBudget, type RetryPolicy, type StepSchedule } from './retry-schedule'

const policy: RetryPolicy = {
  horizonMs: 120_000,
  retryCapMs: 10_000,
  undoAttempts: 10,
  pivot: 'confirm',
  baseDelayMs: 500,
  maxDelayMs: 30_000,
}
const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const step = (attempts: number, pivotal = false): StepSchedule => ({ attempts, firstAt: T0, pivotal })
const ALMOST_ONE = 1 - Number.EPSILON

describe('a saga step retry schedule', () => {
  it('waits a full-jitter share of base × 2^(attempts − 1): from 0 up to (not including) the bound', () => {
    expect(stepWaitMs(policy, step(1), 0)).toBe(0)
    expect(stepWaitMs(policy, step(1), ALMOST_ONE)).toBe(499)
    expect(stepWaitMs(policy, step(3), 0.5)).toBe(1_000)
    expect(stepWaitMs(policy, step(4), ALMOST_ONE)).toBe(3_999)
  })

  it('never waits longer than the cap, however many attempts failed', () => {
    for (const attempts of [6, 10, 40, 1_000]) expect(stepWaitMs(policy, step(attempts), ALMOST_ONE)).toBeLessThan(policy.retryCapMs)
  })

  it("from the pivot on, waits the compensations' backoff (half to all of base × 2^(attempts − 1), capped)", () => {
    expect(stepWaitMs(policy, step(1, true), 0)).toBe(250)
    expect(stepWaitMs(policy, step(1, true), 1)).toBe(500)
    expect(stepWaitMs(policy, step(20, true), 1)).toBe(policy.maxDelayMs)
  })

  it('schedules the next attempt from when the last was due, or from now if that is later', () => {
    // An alarm that came early (a test driving alarms): the schedule runs on from the due time.
    expect(nextAttemptAt(policy, step(3), T0 + 5_000, T0 + 1, 0.5)).toBe(T0 + 5_000 + 1_000)
    // An attempt that took long (a timeout): from when it answered.
    expect(nextAttemptAt(policy, step(3), T0 + 5_000, T0 + 20_000, 0.5)).toBe(T0 + 20_000 + 1_000)
  })

  it('makes no attempt due past the horizon from the first attempt', () => {
    expect(nextAttemptAt(policy, step(20), T0 + 115_000, T0 + 115_000, 0.5)).toBe(T0 + 120_000)
    expect(nextAttemptAt(policy, step(20), T0 + 115_000, T0 + 115_000, 0.6)).toBeNull()
    expect(withinBudget(policy, step(20), T0 + policy.horizonMs)).toBe(true)
    expect(withinBudget(policy, step(20), T0 + policy.horizonMs + 1)).toBe(false)
  })

  it('the pivot keeps its attempts past the horizon, then stops at it', () => {
    expect(withinBudget(policy, step(policy.undoAttempts - 1, true), T0 + 10 * policy.horizonMs)).toBe(true)
    expect(withinBudget(policy, step(policy.undoAttempts, true), T0 + policy.horizonMs + 1)).toBe(false)
    expect(withinBudget(policy, step(policy.undoAttempts + 5, true), T0 + policy.horizonMs)).toBe(true)
  })
})
