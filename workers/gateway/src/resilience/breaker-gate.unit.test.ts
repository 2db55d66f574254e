import { describe, expect, it } from 'vitest'
import type { BreakerClient, ReportBatch } from '../../../../durable-objects/circuit-breaker/client'
import { DEFAULT_BREAKER_CONFIG } from '../../../../durable-objects/circuit-breaker/config'
import {
  initialState,
  snapshotOf,
  transition,
  type BreakerState,
  type Outcome,
} from '../../../../durable-objects/circuit-breaker/state-machine'
import { settleState } from '../../../../durable-objects/circuit-breaker/tally'
import { BreakerGate, type Admission, type Defer } from './breaker-gate'

const INTERVAL = 1_000

/**
 * A gate over an in-memory breaker object with a hand-driven clock: `sleep` resolves only when
 * the test moves time past it, so "at most one report per interval" is counted, not timed.
 */
function setup({ reportEveryMs }: { reportEveryMs?: number } = {}) {
  let now = 0
  let state: BreakerState = initialState()
  const batches: ReportBatch[] = []
  const sleepers: Array<{ until: number; wake: () => void }> = []
  const work: Promise<unknown>[] = []
  const client = {
    acquire: async () => {
      const next = transition(state, { type: 'acquire' }, now, DEFAULT_BREAKER_CONFIG)
      state = next.state
      return next.decision!
    },
    settle: async (_service: string, batch: ReportBatch) => {
      batches.push(batch)
      state = settleState(state, batch, now, DEFAULT_BREAKER_CONFIG)
      return { ...snapshotOf(state, now), reportEveryMs }
    },
    snapshot: async () => snapshotOf(transition(state, { type: 'tick' }, now, DEFAULT_BREAKER_CONFIG).state, now),
  } as unknown as BreakerClient
  const clock = { now: () => now }
  const sleep = (ms: number) => new Promise<void>((wake) => sleepers.push({ until: now + ms, wake }))
  const gate = new BreakerGate('payments:read', client, { refreshMs: 1_000, maxStaleMs: 10_000, reportDelayMs: INTERVAL }, clock, sleep)
  const defer: Defer = (promise) => void work.push(promise)
  const flushed = () => new Promise((resolve) => setTimeout(resolve, 0))
  return {
    gate,
    batches,
    get state() {
      return state
    },
    /** One call through the gate with the given outcome. */
    async call(outcome: Outcome): Promise<Admission> {
      const admission = await gate.admit(defer)
      if (admission.allowed) gate.record(admission.permit, outcome, defer)
      await flushed()
      return admission
    },
    async advance(ms: number) {
      now += ms
      for (const sleeper of sleepers.splice(0))
        if (sleeper.until <= now) sleeper.wake()
        else sleepers.push(sleeper)
      await flushed()
    },
  }
}

const reportedCalls = (batches: ReportBatch[]) => batches.flatMap((batch) => batch.tallies).reduce((sum, tally) => sum + tally.calls, 0)

describe('breaker gate: aggregated reports', () => {
  it('sends one aggregated report per interval however many calls succeed in it', async () => {
    const t = setup()
    await t.call('success') // the first call asks the breaker; its outcome is known after
    await t.advance(INTERVAL)
    const before = t.batches.length
    for (let second = 0; second < 5; second += 1) {
      for (let i = 0; i < 200; i += 1) await t.call('success')
      await t.advance(INTERVAL)
    }
    expect(t.batches.length - before).toBeLessThanOrEqual(5)
    expect(reportedCalls(t.batches)).toBe(1_001)
    expect(t.state).toMatchObject({ status: 'closed', calls: Array(20).fill('success') })
  })

  it('holds failures that cannot open the breaker until the interval ends', async () => {
    const t = setup()
    for (let i = 0; i < 12; i += 1) await t.call('success')
    await t.advance(INTERVAL) // the object's window (12 successes) is now known here
    const before = t.batches.length
    for (let i = 0; i < 5; i += 1) await t.call('failure') // 5 of 17: far from 50 %
    expect(t.batches.length).toBe(before)
    await t.advance(INTERVAL)
    expect(t.batches.length).toBe(before + 1)
    expect(t.state).toMatchObject({ status: 'closed' })
  })

  it('reports at once the failure that opens the breaker, and refuses locally from then on', async () => {
    const t = setup()
    for (let i = 0; i < 12; i += 1) await t.call('success')
    await t.advance(INTERVAL)
    const statuses: boolean[] = []
    // 12 successes known: after the 10th failure the last 20 calls hold 10 failures — 50 %, open.
    for (let i = 0; i < 15; i += 1) statuses.push((await t.call('failure')).allowed)
    expect(t.state.status).toBe('open')
    expect(statuses.filter(Boolean)).toHaveLength(10) // the 11th call is refused without waiting for the interval
    expect(t.gate.current).toMatchObject({ status: 'open' })
  })

  it('the first failures after an acquire go at once: the window they join is not known yet', async () => {
    const t = setup()
    await t.call('failure')
    expect(t.batches).toHaveLength(1)
    expect(t.batches[0]!.tallies[0]).toMatchObject({ calls: 1, head: ['failure'] })
  })

  it('reports less often when the object asks for a longer interval (many isolates)', async () => {
    const t = setup({ reportEveryMs: 4 * INTERVAL })
    await t.call('success')
    await t.advance(INTERVAL)
    const before = t.batches.length
    for (let second = 0; second < 8; second += 1) {
      for (let i = 0; i < 50; i += 1) await t.call('success')
      await t.advance(INTERVAL)
    }
    expect(t.batches.length - before).toBeLessThanOrEqual(2)
    expect(t.state.status).toBe('closed')
  })
})
