import { describe, expect, it } from 'vitest'
import { Lru } from './lru'

function clock(start = 0) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

describe('Lru', () => {
  it('evicts the least recently used entry beyond the entry bound', () => {
    const lru = new Lru<string>({ maxEntries: 2, maxBytes: 1_000, now: clock().now })
    lru.set('a', 'A', 1, 1_000)
    lru.set('b', 'B', 1, 1_000)
    expect(lru.get('a')).toBe('A') // a is now the most recent
    lru.set('c', 'C', 1, 1_000)
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual(['A', undefined, 'C'])
    expect(lru.size).toBe(2)
  })

  it('evicts by bytes until the byte bound holds, and never keeps an entry bigger than the bound', () => {
    const lru = new Lru<string>({ maxEntries: 100, maxBytes: 10, now: clock().now })
    lru.set('a', 'A', 4, 1_000)
    lru.set('b', 'B', 4, 1_000)
    lru.set('c', 'C', 4, 1_000)
    expect([lru.peek('a'), lru.peek('b'), lru.peek('c')]).toEqual([undefined, 'B', 'C'])
    expect(lru.bytes).toBe(8)
    lru.set('huge', 'H', 11, 1_000)
    expect(lru.peek('huge')).toBeUndefined()
    expect(lru.bytes).toBe(8)
  })

  it('keeps the byte count right when a key is replaced or deleted', () => {
    const lru = new Lru<string>({ maxEntries: 10, maxBytes: 100, now: clock().now })
    lru.set('a', 'A', 30, 1_000)
    lru.set('a', 'A2', 5, 1_000)
    expect(lru.bytes).toBe(5)
    lru.delete('a')
    expect([lru.size, lru.bytes]).toEqual([0, 0])
  })

  it('expires an entry at its TTL', () => {
    const time = clock()
    const lru = new Lru<string>({ maxEntries: 10, maxBytes: 100, now: time.now })
    lru.set('a', 'A', 1, 1_000)
    time.advance(999)
    expect(lru.get('a')).toBe('A')
    time.advance(1)
    expect(lru.get('a')).toBeUndefined()
    expect(lru.bytes).toBe(0)
  })

  it('stays within both bounds under a key space larger than them', () => {
    const lru = new Lru<number>({ maxEntries: 50, maxBytes: 400, now: clock().now })
    for (let i = 0; i < 5_000; i += 1) {
      lru.set(`k${i}`, i, 1 + (i % 13), 60_000)
      expect(lru.size).toBeLessThanOrEqual(50)
      expect(lru.bytes).toBeLessThanOrEqual(400)
    }
    expect(lru.peek('k4999')).toBe(4999)
  })

  it('refuses a bound of zero', () => {
    expect(() => new Lru({ maxEntries: 0, maxBytes: 10, now: Date.now })).toThrow()
  })
})
