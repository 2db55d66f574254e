// Figure 5b's entries bound, measuring only what it names (bench/README.md, figure 5). The
// check reads many products through an L1 of `bound` entries and expects the last `bound` keys
// to be L1 hits and the ones before them misses. An L1 entry also stops being reachable when
// a product it holds is written (each write bumps that product's cache stamp, docs/adr/0054): a
// round during which stamps moved measures the invalidation, not the bound. So the check first
// waits until the stamps are still — the highest stamp unchanged for `quietMs`, no event left in
// inventory's outbox — then reads the highest stamp before and after its reads, and runs again
// (up to `attempts` times) when it moved. Every attempt is reported. (Before per-product stamps,
// the one generation bumped by every event was what moved: the "15/20 hits" of a loaded run.)
import { sleep } from './harness.mjs'

const GENERATION = 'SELECT coalesce(max(stamp), 0) AS generation FROM cache_stamps'
const PENDING = 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'

/** The highest product cache stamp in inventory's D1 (0 before any write): it moves with every write. */
export async function productGeneration(db) {
  return (await db.prepare(GENERATION).first())?.generation ?? 0
}

/**
 * Waits until the product generation has not moved for `quietMs` and inventory's outbox holds
 * no event not yet sent (bounded by `timeoutMs`). Answers the generation when it began waiting
 * and when still, the time waited and whether it got still.
 */
export async function waitForStillGeneration(db, { quietMs, timeoutMs = 60_000, pollMs = 250 }) {
  const began = Date.now()
  const initial = await productGeneration(db)
  let last = initial
  let since = Date.now()
  while (Date.now() - began < timeoutMs) {
    await sleep(pollMs)
    const generation = await productGeneration(db)
    const pending = (await db.prepare(PENDING).first()).n
    if (generation !== last || pending > 0) {
      last = generation
      since = Date.now()
    } else if (Date.now() - since >= quietMs)
      return { initial, generation, waitedMs: Date.now() - began, lastChangeMs: since - began, still: true }
  }
  return { initial, generation: last, waitedMs: Date.now() - began, lastChangeMs: since - began, still: false }
}

/**
 * The check: `read(id)` answers a product read's Response-like `{ headers }` through the
 * bounded L1; `keySpace` is read round-robin twice, then its last `bound` keys (all hits) and
 * the `bound` before them (no hits).
 */
export async function l1BoundCheck({ db, read, keySpace, bound, quietMs, attempts = 3, pollMs = 250 }) {
  const level = async (ids) => {
    const seen = []
    for (const id of ids) seen.push((await read(id)).headers.get('x-cache'))
    return seen
  }
  const rounds = []
  for (let attempt = 0; attempt < attempts; attempt++) {
    const wait = await waitForStillGeneration(db, { quietMs, pollMs })
    const before = await productGeneration(db)
    for (let pass = 0; pass < 2; pass++) for (const id of keySpace) await read(id)
    // An L1 of `bound` entries now holds exactly the last `bound` keys read: read them again
    // (all hits, nothing evicted), then the `bound` keys before them (all misses).
    const recent = await level(keySpace.slice(-bound))
    const older = await level(keySpace.slice(-2 * bound, -bound))
    const after = await productGeneration(db)
    rounds.push({
      waitedMs: wait.waitedMs,
      // Bumps that landed while waiting: what a check reading at once would have run into.
      bumpsWhileWaiting: wait.generation - wait.initial,
      // When the last bump or unsent event was seen, after the products were created.
      lastChangeMs: wait.lastChangeMs,
      still: wait.still,
      generationBefore: before,
      generationAfter: after,
      recentHits: recent.filter((seen) => seen === 'L1 hit').length,
      olderHits: older.filter((seen) => seen === 'L1 hit').length,
      olderSeen: [...new Set(older)].join(', '),
    })
    if (after === before) break
  }
  const last = rounds.at(-1)
  return {
    recentHits: last.recentHits,
    olderHits: last.olderHits,
    olderSeen: last.olderSeen,
    // True when the counted round ran with the generation still: the figure is about the bound.
    generationStill: last.generationAfter === last.generationBefore,
    rounds,
  }
}
