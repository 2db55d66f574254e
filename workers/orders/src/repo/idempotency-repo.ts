import { and, eq, lt } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { idempotencyKeys, type IdempotencyRow } from './schema'
import { isUniqueViolation } from '../../../../platform/db/sql-errors'

export type IdempotencyRepo = ReturnType<typeof createIdempotencyRepo>

export function createIdempotencyRepo(d1: D1Database) {
  const db = drizzle(d1)
  const byKey = (userId: string, key: string) => and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key))
  return {
    async find(userId: string, key: string): Promise<IdempotencyRow | null> {
      return (await db.select().from(idempotencyKeys).where(byKey(userId, key)).get()) ?? null
    },

    /**
     * Claims a new key for a request; false when the key exists already. A key created before
     * `expiredBefore` is past its replay window: it is dropped in the same batch, and the key is new.
     */
    async claim(
      row: { userId: string; key: string; requestHash: string; claimedAt: number; createdAt: string },
      expiredBefore: string,
    ): Promise<boolean> {
      try {
        await db.batch([
          db.delete(idempotencyKeys).where(and(byKey(row.userId, row.key), lt(idempotencyKeys.createdAt, expiredBefore))),
          db.insert(idempotencyKeys).values({ ...row, state: 'in_flight' }),
        ])
        return true
      } catch (error) {
        if (isUniqueViolation(error)) return false
        throw error
      }
    },

    /** Takes over a stale in-flight claim (its request died): true if this caller now holds it. */
    async takeOver(userId: string, key: string, staleClaimedAt: number, claimedAt: number): Promise<boolean> {
      const rows = await db
        .update(idempotencyKeys)
        .set({ claimedAt })
        .where(and(byKey(userId, key), eq(idempotencyKeys.state, 'in_flight'), eq(idempotencyKeys.claimedAt, staleClaimedAt)))
        .returning({ key: idempotencyKeys.key })
      return rows.length === 1
    },

    /** Gives a claim back (the request failed before writing anything): the key may be used again. */
    async release(userId: string, key: string, claimedAt: number): Promise<void> {
      await db
        .delete(idempotencyKeys)
        .where(and(byKey(userId, key), eq(idempotencyKeys.state, 'in_flight'), eq(idempotencyKeys.claimedAt, claimedAt)))
    },
  }
}
