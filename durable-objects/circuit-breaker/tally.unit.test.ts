import { describe, expect, it } from 'vitest'
import { DEFAULT_BREAKER_CONFIG as CONFIG } from './config'
import { transition, type BreakerState, type Outcome } from './state-machine'
import { applyTally, tallyOf } from './tally'

const NOW = 1_000_000

/** A small deterministic generator, so a failing case can be replayed. */
function random(seed: number) {
  let x = seed
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31
    return x / 2 ** 31
  }
}

function outcomes(next: () => number, length: number, failureShare: number): Outcome[] {
  return Array.from({ length }, () => (next() < failureShare ? 'failure' : 'success'))
}

/** The breaker told of every call one at a time: what the tally must reproduce. */
function oneByOne(state: BreakerState, generation: number, calls: Outcome[]): BreakerState {
  let current = state
  for (const outcome of calls) current = transition(current, { type: 'report', permit: { generation }, outcome }, NOW, CONFIG).state
  return current
}

describe('breaker tallies: many outcomes in one bounded report', () => {
  it('leaves the breaker exactly where reporting the calls one by one would, for any run and prior window', () => {
    const next = random(7)
    for (let run = 0; run < 2_000; run += 1) {
      const prior: BreakerState = { status: 'closed', generation: 3, calls: outcomes(next, Math.floor(next() * 21), next() * 0.6) }
      const calls = outcomes(next, Math.floor(next() * 120), next() * 0.7)
      const tally = tallyOf(3, calls, CONFIG)
      expect(applyTally(prior, tally, NOW, CONFIG)).toEqual(oneByOne(prior, 3, calls))
    }
  })

  it('carries at most 2 × window − 1 outcomes however many calls it stands for', () => {
    const tally = tallyOf(0, outcomes(random(1), 100_000, 0.3), CONFIG)
    expect(tally.calls).toBe(100_000)
    expect(tally.head.length + (tally.window?.length ?? 0)).toBeLessThanOrEqual(2 * CONFIG.windowSize - 1)
  })

  it('opens with the failure rate of the first window that reaches the threshold, even when later calls succeed', () => {
    const calls: Outcome[] = [
      ...Array<Outcome>(30).fill('success'),
      ...Array<Outcome>(12).fill('failure'),
      ...Array<Outcome>(500).fill('success'),
    ]
    const after = applyTally({ status: 'closed', generation: 0, calls: [] }, tallyOf(0, calls, CONFIG), NOW, CONFIG)
    expect(after).toMatchObject({ status: 'open', generation: 1, failureRate: 0.5 })
  })

  it('a tally for a generation the breaker has left changes nothing', () => {
    const open: BreakerState = { status: 'open', generation: 4, until: NOW + 30_000, openMs: 30_000, failureRate: 1 }
    expect(applyTally(open, tallyOf(3, Array<Outcome>(40).fill('failure'), CONFIG), NOW, CONFIG)).toBe(open)
  })
})
