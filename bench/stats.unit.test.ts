import { describe, expect, it } from 'vitest'
import { cell, median, quantile, ratios, summarize } from './stats.mjs'

describe('bench statistics', () => {
  it('takes the median of odd and even counts, whatever the order', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
  })

  it('interpolates quantiles between ranks', () => {
    expect(quantile([10, 20, 30, 40, 50], 0)).toBe(10)
    expect(quantile([10, 20, 30, 40, 50], 1)).toBe(50)
    expect(quantile([10, 20, 30, 40], 0.99)).toBeCloseTo(39.7)
  })

  it('summarizes repeated runs as median and range', () => {
    expect(summarize([5, 9, 7])).toEqual({ median: 7, min: 5, max: 9, n: 3 })
  })

  it('computes ratios round by round against the baseline of the same round', () => {
    // Round 2 ran on a busy machine: both halved, the ratio did not move.
    expect(ratios([50, 25, 60], [100, 50, 100])).toEqual({ median: 0.5, min: 0.5, max: 0.6, n: 3 })
    expect(() => ratios([1, 2], [1])).toThrow()
  })

  it('prints a cell as median (min–max)', () => {
    expect(cell({ median: 0.5, min: 0.25, max: 0.75, n: 3 }, 1, 100)).toBe('50.0 (25.0–75.0)')
  })
})
