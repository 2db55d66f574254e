import { describe, expect, it } from 'vitest'
import { roundOrder } from './load.mjs'

describe('roundOrder', () => {
  const variants = ['a', 'b', 'c', 'd']

  it('rotates by one a round and reverses every other round', () => {
    expect([0, 1, 2, 3].map((round) => roundOrder(variants, round).join(''))).toEqual(['abcd', 'adcb', 'cdab', 'cbad'])
  })

  it('has each variant follow both of its neighbours, not always the same one', () => {
    const orders = [0, 1, 2, 3].map((round) => roundOrder(variants, round))
    for (const key of variants) {
      const predecessors = new Set(orders.map((order) => order[order.indexOf(key) - 1]).filter(Boolean))
      expect(predecessors.size).toBe(2)
    }
  })

  it('leaves the variants it was given as they were', () => {
    roundOrder(variants, 1)
    expect(variants).toEqual(['a', 'b', 'c', 'd'])
  })
})
