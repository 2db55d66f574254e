import { inArray, sql } from 'drizzle-orm'
import type { DrizzleD1Database } from 'drizzle-orm/d1'
import type { StampChanges, StampSource } from '../../../../platform/cache/stamps'
import { cacheStamps } from './schema'

export const PRODUCT_STAMP_PREFIX = 'product:'
/** A product's stamp: every cache entry that shows the product holds it. */
export const productStamp = (id: string) => `${PRODUCT_STAMP_PREFIX}${id}`
/** The list's membership: a created product changes which products the list pages hold. */
export const LIST_STAMP = 'list'

/**
 * Bumps a stamp to the next number of the table's one sequence, as a statement of the write's
 * own batch: the change and its invalidation commit together or not at all. D1 runs a batch as
 * one transaction and one writer at a time, so stamps grow in commit order.
 */
export function stampBump(db: DrizzleD1Database, key: string, now: Date) {
  return db
    .insert(cacheStamps)
    .values({ key, stamp: sql`(SELECT COALESCE(MAX(${cacheStamps.stamp}), 0) + 1 FROM ${cacheStamps})`, changedAt: now.getTime() })
    .onConflictDoUpdate({ target: cacheStamps.key, set: { stamp: sql`excluded.stamp`, changedAt: sql`excluded.changed_at` } })
}

/** The stamps of `keys` as a select, to read in one batch with the data they vouch for. */
export function stampsSelect(db: DrizzleD1Database, keys: readonly string[]) {
  return db
    .select({ key: cacheStamps.key, stamp: cacheStamps.stamp })
    .from(cacheStamps)
    .where(inArray(cacheStamps.key, [...keys]))
}

/** A key that was never bumped has stamp 0. */
export function stampsOf(keys: readonly string[], rows: readonly { key: string; stamp: number }[]): Record<string, number> {
  const found = new Map(rows.map((row) => [row.key, row.stamp]))
  return Object.fromEntries(keys.map((key) => [key, found.get(key) ?? 0]))
}

/** What an isolate's stamp view asks (platform/cache/stamps.ts): one indexed read per check. */
export function createStampSource(d1: DrizzleD1Database): StampSource {
  const high = () => d1.select({ high: sql<number>`COALESCE(MAX(${cacheStamps.stamp}), 0)`.mapWith(Number) }).from(cacheStamps)
  const changed = (where: ReturnType<typeof sql>) =>
    d1.select({ key: cacheStamps.key, stamp: cacheStamps.stamp }).from(cacheStamps).where(where)
  return {
    async changes(after: number | null, since: number): Promise<StampChanges> {
      if (after === null) {
        const [rows, [top]] = await d1.batch([changed(sql`${cacheStamps.changedAt} > ${since}`), high()])
        return { stamps: rows, high: top?.high ?? 0 }
      }
      const rows = await changed(sql`${cacheStamps.stamp} > ${after}`)
      return { stamps: rows, high: rows.reduce((top, row) => Math.max(top, row.stamp), after) }
    },
  }
}
