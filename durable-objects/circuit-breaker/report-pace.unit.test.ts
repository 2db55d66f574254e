import { describe, expect, it } from 'vitest'
import { DEFAULT_PACE, nextInterval, ReportPace } from './report-pace'

describe('breaker report pace', () => {
  it('keeps the shortest interval while few reports arrive', () => {
    expect(nextInterval(DEFAULT_PACE.minMs, 20)).toBe(DEFAULT_PACE.minMs)
  })

  it('lengthens the interval in proportion when more than the target arrive, up to the cap', () => {
    expect(nextInterval(250, 800)).toBe(1_000)
    expect(nextInterval(1_000, 100_000)).toBe(DEFAULT_PACE.maxMs)
  })

  it('shortens it again, by halves, once under half the target', () => {
    expect(nextInterval(4_000, 50)).toBe(2_000)
    expect(nextInterval(4_000, 150)).toBe(4_000)
  })

  it('800 isolates reporting at the interval they are told settle near the target', () => {
    const pace = new ReportPace()
    const isolates = 800
    let now = 1_000_000
    let interval = pace.hear(now)
    // Each second the object hears every isolate once per interval, and answers the new interval.
    for (let second = 0; second < 20; second += 1) {
      const calls = Math.round((isolates * 1_000) / interval)
      for (let i = 0; i < calls; i += 1) interval = pace.hear(now + Math.floor((i * 1_000) / calls))
      now += 1_000
    }
    const perSecond = (isolates * 1_000) / interval
    expect(perSecond).toBeLessThanOrEqual(DEFAULT_PACE.target)
    expect(perSecond).toBeGreaterThanOrEqual(DEFAULT_PACE.target / 4)
  })

  it('beyond what the longest interval can spread, the object hears one report per isolate per 5 s', () => {
    expect(nextInterval(DEFAULT_PACE.maxMs, 2_000 / 5)).toBe(DEFAULT_PACE.maxMs)
  })
})
