import { describe, expect, it } from 'vitest'
import { createSaga, type SagaState } from './engine'
import { FINISHED_SAGA_RETENTION_MS, storePlan } from './store-plan'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const TIMEOUT = 10_000
const base = createSaga('ord_1', {}, ['reserve', 'charge'], T0)
const as = (changes: Partial<SagaState<unknown>>): SagaState<unknown> => ({ ...base, ...changes })
const moment = (changes: Partial<Parameters<typeof storePlan>[2]> = {}) => ({
  now: T0,
  watchdog: undefined,
  armedAt: null,
  stepTimeoutMs: TIMEOUT,
  ...changes,
})

describe('storePlan', () => {
  it("sets a call's watchdog and leaves the summary alone while the saga only passes through a step", () => {
    const running = as({ status: 'running', next_at: T0 })
    expect(storePlan(running, running, moment({ watchdog: T0 + 15_000 }))).toEqual({ alarmAt: T0 + 15_000, record: false, ended: false })
  })

  it('keeps a watchdog this activation armed that fires no sooner than the call could time out', () => {
    const running = as({ status: 'running', next_at: T0 })
    const plan = storePlan(running, running, moment({ watchdog: T0 + 15_000, armedAt: T0 + TIMEOUT }))
    expect(plan.alarmAt).toBeUndefined()
    // One that would fire before the call could time out is moved.
    expect(storePlan(running, running, moment({ watchdog: T0 + 15_000, armedAt: T0 + TIMEOUT - 1 })).alarmAt).toBe(T0 + 15_000)
  })

  it("sets the retry's time and writes the summary when the saga waits", () => {
    const running = as({ status: 'running', next_at: T0 })
    const waiting = as({ status: 'running', next_at: T0 + 400 })
    expect(storePlan(running, waiting, moment())).toEqual({ alarmAt: T0 + 400, record: true, ended: false })
  })

  it('writes the summary when the status changes', () => {
    const running = as({ status: 'running', next_at: T0 })
    const compensating = as({ status: 'compensating', next_at: T0 })
    expect(storePlan(running, compensating, moment())).toEqual({ alarmAt: undefined, record: true, ended: false })
  })

  it("sets a finished saga's alarm to the end of its retention", () => {
    const running = as({ status: 'running', next_at: T0 })
    const updated = new Date(T0).toISOString()
    const completed = as({ status: 'completed', next_at: T0, updated_at: updated })
    expect(storePlan(running, completed, moment())).toEqual({ alarmAt: T0 + FINISHED_SAGA_RETENTION_MS, record: true, ended: true })
  })
})
