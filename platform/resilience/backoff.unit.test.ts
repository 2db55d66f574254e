import { describe, expect, it } from 'vitest'
import { fullJitter } from './backoff'

describe('full-jitter backoff', () => {
  it('waits a random share of base·2^retry, capped', () => {
    const options = { baseMs: 50, capMs: 1_000 }
    expect([0, 1, 2, 3, 10].map((retry) => fullJitter(retry, options, () => 0.999999))).toEqual([49, 99, 199, 399, 999])
    expect(fullJitter(5, options, () => 0)).toBe(0)
    expect(fullJitter(1, options, () => 0.5)).toBe(50)
  })
})
