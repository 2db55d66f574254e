import { describe, expect, it } from 'vitest'
import { isShardBinding, shardBinding, shardFor, shardIndex, shardsOf } from './shards'

const fakeDb = (name: string) => ({ name }) as unknown as D1Database

describe('shards', () => {
  it('names shard 0 DB and the others DB_<i>, and knows only those names', () => {
    expect([0, 1, 2].map(shardBinding)).toEqual(['DB', 'DB_1', 'DB_2'])
    expect(['DB', 'DB_1', 'DB_12'].every(isShardBinding)).toBe(true)
    expect(['DB_0', 'DB_01', 'USERS_DB', 'DB_', 'db', Symbol('DB')].some(isShardBinding)).toBe(false)
  })

  it('lists the bound shards in order, up to the first missing one', () => {
    const [zero, one, three] = [fakeDb('0'), fakeDb('1'), fakeDb('3')]
    expect(shardsOf({ DB: zero, DB_1: one, DB_3: three, OTHER: fakeDb('x') })).toEqual([zero, one])
    expect(shardsOf({})).toEqual([])
  })

  it('puts a key on the same shard every time, and spreads keys over all of them', () => {
    expect(shardIndex('usr_1', 4)).toBe(shardIndex('usr_1', 4))
    expect(shardIndex('anything', 1)).toBe(0)
    const counts = [0, 0, 0, 0]
    for (let index = 0; index < 4_000; index++) counts[shardIndex(crypto.randomUUID(), 4)]! += 1
    for (const count of counts) expect(count).toBeGreaterThan(800)
  })

  it('is FNV-1a: a change of the function would move every stored key, so its values are pinned', () => {
    // FNV-1a 32 of "" is the offset basis 2166136261; of "a" 0xe40c292c = 3826002220.
    expect(shardIndex('', 2 ** 31)).toBe(2166136261 % 2 ** 31)
    expect(shardIndex('a', 1_000_000_007)).toBe(3826002220 % 1_000_000_007)
  })

  it("finds a key's shard among the env's bindings, and refuses an env with none", () => {
    const env = { DB: fakeDb('0'), DB_1: fakeDb('1') }
    expect(shardFor(env, 'usr_1')).toBe(shardsOf(env)[shardIndex('usr_1', 2)])
    expect(() => shardFor({}, 'usr_1')).toThrow(/at least one shard/)
  })
})
