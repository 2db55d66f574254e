import { describe, expect, it } from 'vitest'
import { gcra, gcraTake, toSeconds, type GcraDecision, type GcraLimit, type GcraState } from './gcra'

const FIVE_PER_SECOND: GcraLimit = { limit: 5, periodMs: 1000 }
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0)

/** Runs requests at the given times (ms after T0) through one key, as the Durable Object does. */
function run(policy: GcraLimit, times: number[], start: GcraState | null = null): GcraDecision[] {
  let state = start
  return times.map((at) => {
    const decision = gcra(state, policy, T0 + at)
    state = decision.state
    return decision
  })
}

describe('gcra', () => {
  it('admits a burst of the limit with remaining counting down to 0, then limits the next', () => {
    const decisions = run(FIVE_PER_SECOND, [0, 0, 0, 0, 0, 0])
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false])
    expect(decisions.slice(0, 5).map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0])
    const sixth = decisions[5]!
    expect(sixth).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 200, resetMs: 1000 })
    expect(toSeconds(sixth.retryAfterMs)).toBe(1)
  })

  it('does not change the state when it refuses', () => {
    const [, , , , fifth, sixth] = run(FIVE_PER_SECOND, [0, 0, 0, 0, 0, 0])
    expect(sixth!.state).toEqual(fifth!.state)
  })

  it('admits again once the retry-after has passed, not a millisecond before', () => {
    const burst = run(FIVE_PER_SECOND, [0, 0, 0, 0, 0])
    const state = burst[4]!.state
    expect(gcra(state, FIVE_PER_SECOND, T0 + 199)).toMatchObject({ allowed: false, retryAfterMs: 1 })
    expect(gcra(state, FIVE_PER_SECOND, T0 + 200)).toMatchObject({ allowed: true, remaining: 0 })
  })

  it('recovers one unit per interval and the whole quota after the period', () => {
    const state = run(FIVE_PER_SECOND, [0, 0, 0, 0, 0])[4]!.state
    expect(gcra(state, FIVE_PER_SECOND, T0 + 600)).toMatchObject({ allowed: true, remaining: 2, resetMs: 600 })
    expect(gcra(state, FIVE_PER_SECOND, T0 + 1000)).toMatchObject({ allowed: true, remaining: 4, resetMs: 200 })
    expect(gcra(state, FIVE_PER_SECOND, T0 + 60_000)).toMatchObject({ allowed: true, remaining: 4, resetMs: 200 })
  })

  it('never lets an idle key save more than one burst', () => {
    const decisions = run(FIVE_PER_SECOND, [0, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000])
    expect(decisions.filter((d) => d.allowed)).toHaveLength(6)
    expect(decisions[6]!.allowed).toBe(false)
  })

  it('admits a steady rate at the limit indefinitely', () => {
    const times = Array.from({ length: 50 }, (_, i) => i * 200)
    expect(run(FIVE_PER_SECOND, times).every((d) => d.allowed)).toBe(true)
  })

  it('takes a cost of several units at once', () => {
    const [first, second, third] = run({ ...FIVE_PER_SECOND, cost: 2 }, [0, 0, 0])
    expect(first).toMatchObject({ allowed: true, remaining: 3 })
    expect(second).toMatchObject({ allowed: true, remaining: 1 })
    expect(third).toMatchObject({ allowed: false, remaining: 1, retryAfterMs: 200 })
  })

  it('never admits a cost larger than the burst, however long the key was idle', () => {
    const policy = { ...FIVE_PER_SECOND, cost: 6 }
    for (const at of [0, 1000, 3_600_000]) {
      const decision = gcra(null, policy, T0 + at)
      expect(decision.allowed).toBe(false)
      expect(decision.retryAfterMs).toBe(Number.POSITIVE_INFINITY)
      expect(decision.remaining).toBe(5)
    }
  })

  it('admits exactly the limit when the period does not divide by it', () => {
    const policy = { limit: 7, periodMs: 60_000 }
    const decisions = run(
      policy,
      Array.from({ length: 8 }, () => 0),
    )
    expect(decisions.map((d) => d.remaining)).toEqual([6, 5, 4, 3, 2, 1, 0, 0])
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, true, true, false])
  })

  it('ignores a stored TAT in the past (an evicted key that came back late)', () => {
    const decision = gcra({ tat: T0 - 5_000 }, FIVE_PER_SECOND, T0)
    expect(decision).toMatchObject({ allowed: true, remaining: 4, state: { tat: T0 + 200 } })
  })

  it.each([
    { limit: 0, periodMs: 1000 },
    { limit: 1.5, periodMs: 1000 },
    { limit: 5, periodMs: 0 },
    { limit: 5, periodMs: 1000, cost: 0 },
    { limit: 5, periodMs: 1000, cost: -1 },
  ])('throws on an invalid limit %o', (policy) => {
    expect(() => gcra(null, policy, T0)).toThrow(RangeError)
  })
})

describe('gcraTake', () => {
  const TEN_PER_SECOND: GcraLimit = { limit: 10, periodMs: 1000 }

  it('takes the unit of the request and as many extra as remain, never more than the limit', () => {
    const first = gcraTake(null, { ...TEN_PER_SECOND, extra: 4 }, T0)
    expect(first).toMatchObject({ allowed: true, extra: 4, remaining: 5 })
    const second = gcraTake(first.state, { ...TEN_PER_SECOND, extra: 9 }, T0)
    expect(second).toMatchObject({ allowed: true, extra: 4, remaining: 0 })
    const third = gcraTake(second.state, { ...TEN_PER_SECOND, extra: 9 }, T0)
    expect(third).toMatchObject({ allowed: false, extra: 0, remaining: 0, retryAfterMs: 100 })
    expect(third.state).toEqual(second.state)
  })

  it('agrees with gcra when no extra is asked', () => {
    let state: GcraState | null = null
    for (const at of [0, 0, 50, 120, 120, 120, 400, 999, 1000, 1000]) {
      const plain = gcra(state, TEN_PER_SECOND, T0 + at)
      const { extra, ...take } = gcraTake(state, TEN_PER_SECOND, T0 + at)
      expect(take).toEqual(plain)
      expect(extra).toBe(0)
      state = plain.state
    }
  })

  it('gives refunded units back before deciding, so a refusal can turn into an admission', () => {
    const spent = gcraTake(null, { ...TEN_PER_SECOND, extra: 9 }, T0).state
    expect(gcraTake(spent, TEN_PER_SECOND, T0).allowed).toBe(false)
    const refunded = gcraTake(spent, { ...TEN_PER_SECOND, refund: 3 }, T0)
    expect(refunded).toMatchObject({ allowed: true, remaining: 2 })
  })

  it('never refunds into the future: units given back after they refilled change nothing', () => {
    const spent = gcraTake(null, { ...TEN_PER_SECOND, extra: 9 }, T0).state
    const later = gcraTake(spent, { ...TEN_PER_SECOND, refund: 10 }, T0 + 5_000)
    expect(later).toMatchObject({ allowed: true, remaining: 9, state: { tat: T0 + 5_100 } })
  })

  it('a refill of cost 0 takes only what is there and is never refused', () => {
    const spent = gcraTake(null, { ...TEN_PER_SECOND, extra: 7 }, T0).state
    expect(gcraTake(spent, { ...TEN_PER_SECOND, cost: 0, extra: 5 }, T0)).toMatchObject({ allowed: true, extra: 2, remaining: 0 })
    expect(gcraTake({ tat: T0 + 1000 }, { ...TEN_PER_SECOND, cost: 0, extra: 5 }, T0)).toMatchObject({
      allowed: true,
      extra: 0,
      remaining: 0,
    })
  })

  it.each([{ extra: -1 }, { extra: 1.5 }, { refund: -2 }, { cost: -1 }, { cost: 0.5 }])('throws on an invalid take %o', (take) => {
    expect(() => gcraTake(null, { ...TEN_PER_SECOND, ...take }, T0)).toThrow(RangeError)
  })
})

describe('toSeconds', () => {
  it('rounds up, so a client waiting that long is never early', () => {
    expect([0, 1, 200, 999, 1000, 1001, 59_999].map(toSeconds)).toEqual([0, 1, 1, 1, 1, 2, 60])
  })
})
