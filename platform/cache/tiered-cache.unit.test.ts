import { describe, expect, it } from 'vitest'
import { cacheOptions } from './options'
import { stampView, type StampSource } from './stamps'
import type { Loaded } from './envelope'
import { TieredCache } from './tiered-cache'

// The cache's logic with an injected clock. L2 here is a Map behind KV's get/put/delete (with
// KV's one-minute minimum TTL): the real KV is exercised in workerd (workers/inventory).
function memoryKv(now: () => number) {
  const entries = new Map<string, { text: string; expiresAt: number }>()
  const kv = {
    async get(key: string, type: 'json') {
      const entry = entries.get(key)
      if (type !== 'json' || !entry || entry.expiresAt <= now()) return null
      return JSON.parse(entry.text) as unknown
    },
    async put(key: string, text: string, { expirationTtl }: { expirationTtl: number }) {
      if (expirationTtl < 60) throw new Error('KV: expirationTtl below 60 s')
      entries.set(key, { text, expiresAt: now() + expirationTtl * 1_000 })
    },
    async delete(key: string) {
      entries.delete(key)
    },
  }
  return { kv: kv as unknown as KVNamespace, entries }
}

/** Stamps in memory: one sequence over every key, as the D1 table keeps them. */
function memoryStamps(now: () => number) {
  const rows = new Map<string, { stamp: number; changedAt: number }>()
  let sequence = 0
  let reads = 0
  const source: StampSource = {
    async changes(after, since) {
      reads += 1
      const all = [...rows].map(([key, row]) => ({ key, ...row }))
      const changed = all.filter((row) => (after === null ? row.changedAt > since : row.stamp > after))
      return { stamps: changed.map(({ key, stamp }) => ({ key, stamp })), high: sequence }
    },
  }
  return {
    source,
    reads: () => reads,
    stampOf: (key: string) => rows.get(key)?.stamp ?? 0,
    bump: (key: string) => rows.set(key, { stamp: (sequence += 1), changedAt: now() }),
  }
}

function setUp(env: Record<string, string> = {}) {
  let time = 1_000_000
  const now = () => time
  const l2 = memoryKv(now)
  const stamps = memoryStamps(now)
  const options = cacheOptions(env)
  const view = () => stampView({ source: stamps.source, checkMs: options.stampCheckMs, windowMs: options.l2TtlSeconds * 1_000, now })
  const makeCache = (kv = l2.kv) => new TieredCache<{ price: number }>({ ...options, namespace: 'products', kv, now, stamps: view() })
  const source = new Map<string, { price: number; version: number }>()
  let loads = 0
  // Each value holds its own key's stamp, read with it.
  const load = (id: string) => async (): Promise<Loaded<{ price: number }>> => {
    loads += 1
    const row = source.get(id)
    const held = { [id]: stamps.stampOf(id) }
    return row ? { value: { price: row.price }, version: row.version, stamps: held } : { value: null, version: 0, stamps: held }
  }
  /** A write: the source changes and its key's stamp is bumped with it. */
  const write = (id: string, price: number, version: number) => {
    source.set(id, { price, version })
    stamps.bump(id)
  }
  return {
    l2,
    makeCache,
    source,
    load,
    write,
    loads: () => loads,
    stampReads: stamps.reads,
    advance: (ms: number) => (time += ms),
  }
}

describe('TieredCache', () => {
  it('a miss reads the source and fills both levels; the next read is an L1 hit, then an L2 hit in another isolate', async () => {
    const t = setUp()
    t.source.set('p1', { price: 10, version: 1 })
    const cache = t.makeCache()
    expect(await cache.get('p1', t.load('p1'))).toMatchObject({ value: { price: 10 }, level: 'source' })
    expect([...t.l2.entries.keys()]).toEqual(['products:p1'])
    expect(await cache.get('p1', t.load('p1'))).toMatchObject({ value: { price: 10 }, level: 'l1' })
    expect(await t.makeCache().get('p1', t.load('p1'))).toMatchObject({ value: { price: 10 }, level: 'l2' })
    expect(t.loads()).toBe(1)
    expect(cache.stats).toEqual({ l1: { hits: 1, misses: 1 }, l2: { hits: 0, misses: 1 }, sourceLoads: 1, negativeHits: 0 })
    expect(cache.l1Usage).toMatchObject({ entries: 1, maxEntries: 1000, maxBytes: 8 * 1024 * 1024 })
    expect(cache.l1Usage.bytes).toBe(
      new TextEncoder().encode(JSON.stringify({ version: 1, value: { price: 10 }, stored_at: 1_000_000, stamps: { p1: 0 } })).byteLength,
    )
  })

  it('peek answers what L1 holds and vouches for, and never reads L2 or the source', async () => {
    const t = setUp()
    t.source.set('p1', { price: 10, version: 1 })
    const cache = t.makeCache()
    expect(await cache.peek('p1')).toBeUndefined()
    await cache.get('p1', t.load('p1'))
    expect(await cache.peek('p1')).toEqual({ price: 10 })
    // Another isolate has it in L2 only: not held.
    expect(await t.makeCache().peek('p1')).toBeUndefined()
    // A write bumps its stamp: once this isolate's stamp check sees it, the copy is not vouched for.
    t.write('p1', 20, 2)
    t.advance(1_500)
    expect(await cache.peek('p1')).toBeUndefined()
    expect(t.loads()).toBe(1)
  })

  it('concurrent misses of one key share one source read', async () => {
    const t = setUp()
    t.source.set('p1', { price: 10, version: 1 })
    const cache = t.makeCache()
    const reads = await Promise.all(Array.from({ length: 20 }, () => cache.get('p1', t.load('p1'))))
    expect(reads.every((read) => read.value?.price === 10)).toBe(true)
    expect(t.loads()).toBe(1)
  })

  it('when the read that leads a fill fails (its request cancelled, say), the concurrent ones answer from their own source read', async () => {
    const t = setUp()
    t.source.set('p1', { price: 10, version: 1 })
    const cache = t.makeCache()
    const leader = cache.get('p1', async () => Promise.reject(new Error('the request was cancelled')))
    const followers = Array.from({ length: 3 }, () => cache.get('p1', t.load('p1')))
    await expect(leader).rejects.toThrow('cancelled')
    expect((await Promise.all(followers)).map((read) => read.value)).toEqual(Array(3).fill({ price: 10 }))
  })

  it('a failed load is not cached: the next read tries the source again', async () => {
    const t = setUp()
    const cache = t.makeCache()
    await expect(cache.get('p1', async () => Promise.reject(new Error('D1 down')))).rejects.toThrow('D1 down')
    t.source.set('p1', { price: 10, version: 1 })
    expect(await cache.get('p1', t.load('p1'))).toMatchObject({ value: { price: 10 }, level: 'source' })
  })

  it('caches "not found" for the negative TTL only, in both levels', async () => {
    const t = setUp({ CACHE_NEGATIVE_TTL_MS: '5000' })
    const cache = t.makeCache()
    expect(await cache.get('nope', t.load('nope'))).toMatchObject({ value: null, level: 'source' })
    t.source.set('nope', { price: 1, version: 1 })
    expect(await cache.get('nope', t.load('nope'))).toMatchObject({ value: null, level: 'l1' })
    expect(await t.makeCache().get('nope', t.load('nope'))).toMatchObject({ value: null, level: 'l2' })
    expect(cache.stats.negativeHits).toBe(1)
    t.advance(5_000)
    // KV still holds the entry (a minute at least); its stored_at says it is dead.
    expect(t.l2.entries.size).toBe(1)
    expect(await cache.get('nope', t.load('nope'))).toMatchObject({ value: { price: 1 }, level: 'source' })
  })

  it('L1 expires at its TTL and then reads L2', async () => {
    const t = setUp({ CACHE_L1_TTL_MS: '30000' })
    t.source.set('p1', { price: 10, version: 1 })
    const cache = t.makeCache()
    await cache.get('p1', t.load('p1'))
    t.advance(29_999)
    expect((await cache.get('p1', t.load('p1'))).level).toBe('l1')
    t.advance(1)
    expect((await cache.get('p1', t.load('p1'))).level).toBe('l2')
  })

  it('an L1 copy never outlives the L2 fill it came from (stored_at)', async () => {
    const t = setUp({ CACHE_L1_TTL_MS: '60000', CACHE_L2_TTL_S: '60' })
    t.source.set('p1', { price: 10, version: 1 })
    await t.makeCache().get('p1', t.load('p1')) // filled L2 at t0
    t.advance(50_000)
    const late = t.makeCache()
    expect((await late.get('p1', t.load('p1'))).level).toBe('l2') // L1 copy made at t0 + 50 s
    t.advance(9_999)
    expect((await late.get('p1', t.load('p1'))).level).toBe('l1')
    t.advance(1) // the fill is 60 s old: gone from L1 although L1's own TTL is a minute
    t.source.set('p1', { price: 11, version: 2 })
    expect(await late.get('p1', t.load('p1'))).toMatchObject({ value: { price: 11 }, level: 'source' })
  })

  it('never replaces a newer version with an older one: a slow fill keeps the newer entry another isolate wrote', async () => {
    const t = setUp()
    const slow = t.makeCache()
    const read = slow.get('p1', async () => {
      // While this filler loads version 1, another isolate fills version 2.
      t.source.set('p1', { price: 20, version: 2 })
      await t.makeCache().get('p1', t.load('p1'))
      return { value: { price: 10 }, version: 1, stamps: { p1: 0 } }
    })
    expect((await read).value).toEqual({ price: 20 })
    expect(JSON.parse(t.l2.entries.get('products:p1')!.text)).toMatchObject({ version: 2, value: { price: 20 } })
    expect(await slow.get('p1', t.load('p1'))).toMatchObject({ value: { price: 20 }, level: 'l1' })
  })

  it('a bumped stamp makes the entries holding it unreachable after the check interval, and no other', async () => {
    const t = setUp({ CACHE_GENERATION_CHECK_MS: '1000' })
    t.write('p1', 10, 1)
    t.write('p2', 20, 1)
    const cache = t.makeCache()
    await cache.get('p1', t.load('p1'))
    await cache.get('p2', t.load('p2'))
    t.write('p1', 12, 2)
    expect((await cache.get('p1', t.load('p1'))).value).toEqual({ price: 10 }) // within the interval
    t.advance(1_000)
    expect(await cache.get('p1', t.load('p1'))).toMatchObject({ value: { price: 12 }, level: 'source' })
    expect(await cache.get('p2', t.load('p2'))).toMatchObject({ value: { price: 20 }, level: 'l1' })
    // The fill replaced the stale copy in L2 under the same key: another isolate finds the new one.
    expect([...t.l2.entries.keys()].sort()).toEqual(['products:p1', 'products:p2'])
    expect(await t.makeCache().get('p1', t.load('p1'))).toMatchObject({ value: { price: 12 }, level: 'l2' })
  })

  it('another isolate does not serve an L2 copy older than a stamp it has seen', async () => {
    const t = setUp()
    t.write('p1', 10, 1)
    const other = t.makeCache()
    await other.get('p1', t.load('p1')) // its first check: p1 at stamp 1
    t.write('p1', 11, 2) // behind every cache's back: L2 still holds price 10
    t.advance(1_000)
    expect(await other.get('p1', t.load('p1'))).toMatchObject({ value: { price: 11 }, level: 'source' })
    // An isolate that starts now learns p1's stamp in its first check, and skips the old copy too.
    t.l2.entries.set('products:p1', {
      text: JSON.stringify({ version: 1, value: { price: 10 }, stored_at: 1_000_000, stamps: { p1: 1 } }),
      expiresAt: Number.POSITIVE_INFINITY,
    })
    expect(await t.makeCache().get('p1', t.load('p1'))).toMatchObject({ value: { price: 11 }, level: 'source' })
  })

  it('asks for the stamps at most once per interval, one request at a time', async () => {
    const t = setUp({ CACHE_GENERATION_CHECK_MS: '1000' })
    const cache = t.makeCache()
    await Promise.all(Array.from({ length: 10 }, (_, i) => cache.get(`k${i}`, t.load(`k${i}`))))
    t.advance(999)
    await cache.get('k0', t.load('k0'))
    expect(t.stampReads()).toBe(1)
    t.advance(1)
    await cache.get('k0', t.load('k0'))
    expect(t.stampReads()).toBe(2)
  })

  it('refreshStamps makes the next read ask again (the writer reads its own write)', async () => {
    const t = setUp({ CACHE_GENERATION_CHECK_MS: '1000' })
    t.write('p1', 10, 1)
    const cache = t.makeCache()
    await cache.get('p1', t.load('p1'))
    t.write('p1', 11, 2)
    cache.refreshStamps()
    expect(await cache.get('p1', t.load('p1'))).toMatchObject({ value: { price: 11 }, level: 'source' })
  })

  it('wrote: the writer serves what its batch read back from L1, with no stamp check or load, and an entry of another key holding the old stamp goes', async () => {
    const t = setUp()
    t.write('p1', 10, 1)
    const cache = t.makeCache()
    await cache.get('p1', t.load('p1'))
    // A page-like entry that shows p1 too (it holds p1's stamp).
    await cache.get('page', async () => ({ value: { price: 10 }, version: 1, stamps: { p1: 1 } }))
    const [stampReads, loads] = [t.stampReads(), t.loads()]
    t.write('p1', 11, 2)
    cache.wrote([{ key: 'p1', loaded: { value: { price: 11 }, version: 2, stamps: { p1: 2 } } }])
    expect(await cache.get('p1', t.load('p1'))).toMatchObject({ value: { price: 11 }, level: 'l1' })
    expect([t.stampReads(), t.loads()]).toEqual([stampReads, loads])
    expect(await cache.get('page', async () => ({ value: { price: 11 }, version: 2, stamps: { p1: 2 } }))).toMatchObject({
      value: { price: 11 },
      level: 'source',
    })
    // Not in L2 until published: another isolate still reads the source.
    expect(await t.makeCache().get('p1', t.load('p1'))).toMatchObject({ level: 'source' })
  })

  it('publish writes the copy to L2 for other isolates, unless L2 holds a newer version', async () => {
    const t = setUp()
    t.write('p1', 12, 3)
    const cache = t.makeCache()
    await cache.publish('p1', { value: { price: 12 }, version: 3, stamps: { p1: 1 } })
    expect(await t.makeCache().get('p1', t.load('p1'))).toMatchObject({ value: { price: 12 }, level: 'l2' })
    await cache.publish('p1', { value: { price: 11 }, version: 2, stamps: { p1: 1 } })
    expect(await t.makeCache().get('p1', t.load('p1'))).toMatchObject({ value: { price: 12 }, level: 'l2' })
    expect(t.loads()).toBe(0)
  })

  it('CACHE_LEVELS=l2 skips L1; none always reads the source', async () => {
    const t = setUp({ CACHE_LEVELS: 'l2' })
    t.source.set('p1', { price: 10, version: 1 })
    const l2Only = t.makeCache()
    expect((await l2Only.get('p1', t.load('p1'))).level).toBe('source')
    expect((await l2Only.get('p1', t.load('p1'))).level).toBe('l2')
    const none = new TieredCache({
      ...cacheOptions({ CACHE_LEVELS: 'none' }),
      namespace: 'products',
      kv: undefined,
      now: Date.now,
      stamps: stampView({ source: { changes: async () => ({ stamps: [], high: 0 }) }, checkMs: 0, windowMs: 1, now: Date.now }),
    })
    expect(await none.get('p1', t.load('p1'))).toMatchObject({ value: { price: 10 }, level: 'bypass' })
    expect(await none.get('p1', t.load('p1'))).toMatchObject({ value: { price: 10 }, level: 'bypass' })
  })

  it('a stamp source that fails makes the read go to the source (bypass), not fail', async () => {
    const t = setUp()
    t.source.set('p1', { price: 10, version: 1 })
    const errors: unknown[] = []
    const cache = new TieredCache({
      ...cacheOptions({}),
      namespace: 'products',
      kv: t.l2.kv,
      now: Date.now,
      onError: (e) => errors.push(e),
      stamps: stampView({ source: { changes: () => Promise.reject(new Error('D1 down')) }, checkMs: 1000, windowMs: 1, now: Date.now }),
    })
    expect(await cache.get('p1', t.load('p1'))).toMatchObject({ value: { price: 10 }, level: 'bypass' })
    expect(errors).toHaveLength(1)
  })
})

describe('TieredCache: how long an answer is known current (freshUntil)', () => {
  it('is the stamp check plus its interval, for every level, and moves on with the next check', async () => {
    const t = setUp({ CACHE_GENERATION_CHECK_MS: '1000' })
    t.source.set('p1', { price: 10, version: 1 })
    const cache = t.makeCache()
    expect(await cache.get('p1', t.load('p1'))).toMatchObject({ level: 'source', freshUntil: 1_001_000 })
    t.advance(600)
    expect(await cache.get('p1', t.load('p1'))).toMatchObject({ level: 'l1', freshUntil: 1_001_000 })
    t.advance(400)
    expect(await cache.get('p1', t.load('p1'))).toMatchObject({ level: 'l1', freshUntil: 1_002_000 })
    expect(await t.makeCache().get('p1', t.load('p1'))).toMatchObject({ level: 'l2', freshUntil: 1_002_000 })
  })

  it('never outlives the fill it came from (CACHE_L2_TTL_S after the source read; the negative TTL for "not found")', async () => {
    const t = setUp({ CACHE_GENERATION_CHECK_MS: '600000', CACHE_L2_TTL_S: '60', CACHE_NEGATIVE_TTL_MS: '5000' })
    t.source.set('p1', { price: 10, version: 1 })
    const cache = t.makeCache()
    expect(await cache.get('p1', t.load('p1'))).toMatchObject({ level: 'source', freshUntil: 1_060_000 })
    expect(await cache.get('nope', t.load('nope'))).toMatchObject({ level: 'source', freshUntil: 1_005_000 })
  })

  it('is null when nothing vouches for the answer (caching off, or the stamps unknown)', async () => {
    const t = setUp()
    t.source.set('p1', { price: 10, version: 1 })
    const none = new TieredCache({
      ...cacheOptions({ CACHE_LEVELS: 'none' }),
      namespace: 'products',
      kv: undefined,
      now: Date.now,
      stamps: stampView({ source: { changes: async () => ({ stamps: [], high: 0 }) }, checkMs: 0, windowMs: 1, now: Date.now }),
    })
    expect(await none.get('p1', t.load('p1'))).toEqual({ value: { price: 10 }, level: 'bypass', freshUntil: null })
  })
})

describe('cacheOptions', () => {
  it('has the documented defaults', () => {
    expect(cacheOptions({})).toEqual({
      levels: 'l1,l2',
      l1MaxEntries: 1000,
      l1MaxBytes: 8 * 1024 * 1024,
      l1TtlMs: 30_000,
      l2TtlSeconds: 300,
      negativeTtlMs: 5_000,
      stampCheckMs: 1_000,
    })
    expect(cacheOptions({ CACHE_LEVELS: '', CACHE_L2_TTL_S: ' ' }).levels).toBe('l1,l2')
  })

  it.each([
    ['CACHE_LEVELS', 'l1'],
    ['CACHE_L1_MAX_ENTRIES', '0'],
    ['CACHE_L1_MAX_BYTES', 'lots'],
    ['CACHE_L1_TTL_MS', '1.5'],
    ['CACHE_L2_TTL_S', '59'],
    ['CACHE_NEGATIVE_TTL_MS', '-1'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => cacheOptions({ [name]: value })).toThrow(name)
  })
})
