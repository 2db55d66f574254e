import { describe, expect, it } from 'vitest'
import { l1BoundCheck, waitForStillGeneration } from './l1-bound.mjs'

/** Inventory's D1 as the check reads it: the products generation and the unsent outbox rows. */
function fakeInventory({ generation = 0, pending = 0 } = {}) {
  const state = { generation, pending }
  const db = {
    prepare: (sql: string) => ({
      first: async () => (sql.includes('cache_stamps') ? { generation: state.generation } : { n: state.pending }),
    }),
  }
  return { state, db }
}

/** An L1 of `bound` entries in front of `keys`, as `read` answers it: an LRU, emptied by a generation change. */
function fakeL1(bound: number, inventory: { state: { generation: number } }) {
  let seenGeneration = inventory.state.generation
  const entries: string[] = []
  return async (id: string) => {
    if (inventory.state.generation !== seenGeneration) {
      entries.length = 0
      seenGeneration = inventory.state.generation
    }
    const at = entries.indexOf(id)
    const hit = at >= 0
    if (hit) entries.splice(at, 1)
    entries.push(id)
    if (entries.length > bound) entries.shift()
    return { headers: new Headers({ 'x-cache': hit ? 'L1 hit' : 'L2 hit' }) }
  }
}

const keys = Array.from({ length: 10 }, (_, index) => `prd_${index}`)

describe('the L1 bound check', () => {
  it('waits while events are unsent or the generation moves, then until it has been still for quietMs', async () => {
    const inventory = fakeInventory({ generation: 5, pending: 2 })
    setTimeout(() => {
      inventory.state.pending = 0
      inventory.state.generation = 7
    }, 40)
    const wait = await waitForStillGeneration(inventory.db, { quietMs: 40, pollMs: 5 })
    expect(wait).toMatchObject({ initial: 5, generation: 7, still: true })
    expect(wait.waitedMs).toBeGreaterThanOrEqual(wait.lastChangeMs + 40)
  })

  it('counts a round with the generation still: the bound holds', async () => {
    const inventory = fakeInventory()
    const result = await l1BoundCheck({ db: inventory.db, read: fakeL1(3, inventory), keySpace: keys, bound: 3, quietMs: 10, pollMs: 5 })
    expect(result).toMatchObject({ recentHits: 3, olderHits: 0, generationStill: true })
    expect(result.rounds).toHaveLength(1)
  })

  it('runs a round again when the generation moved during its reads, and reports both', async () => {
    const inventory = fakeInventory()
    const l1 = fakeL1(3, inventory)
    let reads = 0
    // A bump lands in the middle of the first round's last reads only.
    const read = async (id: string) => {
      reads += 1
      if (reads === 2 * keys.length + 2) inventory.state.generation += 1
      return l1(id)
    }
    const result = await l1BoundCheck({ db: inventory.db, read, keySpace: keys, bound: 3, quietMs: 10, pollMs: 5 })
    expect(result.rounds).toHaveLength(2)
    expect(result.rounds[0]).toMatchObject({ generationBefore: 0, generationAfter: 1 })
    expect(result.rounds[0].recentHits).toBeLessThan(3)
    expect(result).toMatchObject({ recentHits: 3, olderHits: 0, generationStill: true })
  })
})
