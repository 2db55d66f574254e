import { describe, expect, it } from 'vitest'
import { DEFAULT_BREAKER_CONFIG as CONFIG } from './config'
import {
  initialState,
  outcomeForStatus,
  snapshotOf,
  transition,
  type BreakerState,
  type Decision,
  type Outcome,
  type Permit,
} from './state-machine'

const T0 = 1_000_000

/** A breaker driven by hand: `now` moves only when a test moves it. */
function breaker(state: BreakerState = initialState()) {
  let now = T0
  const driver = {
    get state() {
      return state
    },
    get now() {
      return now
    },
    advance(ms: number) {
      now += ms
    },
    acquire(): Decision {
      const next = transition(state, { type: 'acquire' }, now)
      state = next.state
      return next.decision!
    },
    report(permit: Permit, outcome: Outcome) {
      state = transition(state, { type: 'report', permit, outcome }, now).state
    },
    /** One call: acquire, then report its outcome at once. */
    call(outcome: Outcome) {
      const decision = driver.acquire()
      if (decision.allowed) driver.report(decision.permit, outcome)
      return decision
    },
    calls(outcomes: Outcome[]) {
      for (const outcome of outcomes) driver.call(outcome)
    },
    status() {
      return transition(state, { type: 'tick' }, now).state.status
    },
  }
  return driver
}

const times = (n: number, outcome: Outcome): Outcome[] => Array.from({ length: n }, () => outcome)

/** Opens a fresh breaker: 10 failures. */
function opened() {
  const b = breaker()
  b.calls(times(10, 'failure'))
  expect(b.state.status).toBe('open')
  return b
}

describe('circuit breaker state machine: closed', () => {
  it('stays closed below the minimum number of calls, even when all of them failed', () => {
    const b = breaker()
    b.calls(times(9, 'failure'))
    expect(b.state.status).toBe('closed')
    expect(b.acquire().allowed).toBe(true)
  })

  it('opens at exactly 50% failures once the minimum is reached', () => {
    const b = breaker()
    b.calls([...times(5, 'success'), ...times(4, 'failure')])
    expect(b.state.status).toBe('closed')
    b.call('failure') // 5 of 10
    expect(b.state.status).toBe('open')
    expect(snapshotOf(b.state, b.now)).toMatchObject({ state: 'open', failureRate: 0.5, retryAfterMs: CONFIG.openMs })
  })

  it('stays closed just under 50%, and counts only the last 20 calls', () => {
    const b = breaker()
    b.calls([...times(11, 'success'), ...times(9, 'failure')]) // 9 of 20
    expect(b.state.status).toBe('closed')
    b.calls(times(2, 'success')) // the window slides: still 9 of 20
    expect(b.state.status).toBe('closed')
    b.call('failure') // 10 of 20
    expect(b.state.status).toBe('open')
  })

  it('never counts a 4xx against the service', () => {
    const b = breaker()
    b.calls([400, 401, 403, 404, 409, 422, 429, 404, 404, 404, 404, 404].map(outcomeForStatus))
    expect(b.state.status).toBe('closed')
    expect(snapshotOf(b.state, b.now).failureRate).toBe(0)
    expect([500, 502, 503, 504].map(outcomeForStatus)).toEqual(times(4, 'failure'))
  })
})

describe('circuit breaker state machine: open and half-open', () => {
  it('rejects until the open period has passed, then lets probes through half-open', () => {
    const b = opened()
    expect(b.acquire()).toEqual({ allowed: false, state: 'open', retryAfterMs: CONFIG.openMs })
    b.advance(CONFIG.openMs - 1)
    expect(b.acquire()).toEqual({ allowed: false, state: 'open', retryAfterMs: 1 })
    b.advance(1)
    expect(b.acquire()).toMatchObject({ allowed: true, state: 'half_open', permit: { probe: 1 } })
  })

  it('hands out exactly 3 probes; 3 successes close it, with a fresh window', () => {
    const b = opened()
    b.advance(CONFIG.openMs)
    const probes = [b.acquire(), b.acquire(), b.acquire()]
    expect(probes.every((decision) => decision.allowed)).toBe(true)
    expect(b.acquire()).toMatchObject({ allowed: false, state: 'half_open' })
    for (const probe of probes) if (probe.allowed) b.report(probe.permit, 'success')
    expect(b.state).toMatchObject({ status: 'closed', calls: [] })
    b.calls(times(9, 'failure'))
    expect(b.state.status).toBe('closed')
  })

  it('reopens on one failed probe, and the other probes’ late results change nothing', () => {
    const b = opened()
    b.advance(CONFIG.openMs)
    const [first, second] = [b.acquire(), b.acquire()]
    if (!first.allowed || !second.allowed) throw new Error('expected probes')
    b.report(first.permit, 'failure')
    expect(b.state.status).toBe('open')
    const reopened = b.state
    b.report(second.permit, 'success')
    expect(b.state).toBe(reopened)
  })

  it('a result reported late, after the breaker opened, makes no second transition', () => {
    const b = breaker()
    const slow = b.acquire()
    if (!slow.allowed) throw new Error('expected a permit')
    b.calls(times(10, 'failure'))
    const openState = b.state
    b.advance(CONFIG.openMs) // even once it has gone half-open
    expect(b.status()).toBe('half_open')
    b.report(slow.permit, 'failure')
    b.report(slow.permit, 'success')
    expect(transition(openState, { type: 'report', permit: slow.permit, outcome: 'failure' }, b.now).state.status).toBe('half_open')
    expect(b.acquire()).toMatchObject({ allowed: true, permit: { probe: 1 } })
  })

  it('a hung probe’s lease expires: it counts as a failure, so the breaker cannot stay half-open', () => {
    const b = opened()
    b.advance(CONFIG.openMs)
    const hung = b.acquire()
    b.advance(CONFIG.probeLeaseMs - 1)
    expect(b.status()).toBe('half_open')
    b.advance(1)
    expect(b.status()).toBe('open')
    expect(b.acquire()).toEqual({ allowed: false, state: 'open', retryAfterMs: 2 * CONFIG.openMs })
    if (hung.allowed) b.report(hung.permit, 'success') // far too late
    expect(b.acquire().allowed).toBe(false)
  })

  it('doubles the open period on each failed half-open, up to 5 minutes, and resets on close', () => {
    const b = opened()
    const periods: number[] = []
    for (let round = 0; round < 6; round += 1) {
      const wait = (b.acquire() as { retryAfterMs: number }).retryAfterMs
      periods.push(wait)
      b.advance(wait)
      b.call('failure')
    }
    expect(periods).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000])
    b.advance(300_000)
    b.calls(times(3, 'success'))
    expect(b.state.status).toBe('closed')
    b.calls(times(10, 'failure'))
    expect(b.acquire()).toMatchObject({ allowed: false, retryAfterMs: 30_000 })
  })
})
