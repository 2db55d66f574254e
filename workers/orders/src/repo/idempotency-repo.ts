import { and, eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { idempotencyKeys, type IdempotencyRow } from './schema'
import { DELETED_USER_ID } from '../../../../shared-contracts/events'

export type IdempotencyRepo = ReturnType<typeof createIdempotencyRepo>

export function createIdempotencyRepo(d1: D1Database) {
  const db = drizzle(d1)
  const byKey = (userId: string, key: string) => and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key))
  return {
    async find(userId: string, key: string): Promise<IdempotencyRow | null> {
      return (await db.select().from(idempotencyKeys).where(byKey(userId, key)).get()) ?? null
    },

    /**
     * Claims the key for a request in one statement: inserts the claim, or takes over a key
     * created before `expiredBefore` (past its replay window: the key is new again) — and only
     * while the user is not erased. False when nothing was claimed: the key is held (or done),
     * or the user was erased; the caller looks at which only then.
     */
    async claim(
      row: { userId: string; key: string; requestHash: string; claimedAt: number; createdAt: string },
      expiredBefore: string,
    ): Promise<boolean> {
      const result = await d1
        .prepare(
          `INSERT INTO idempotency_keys (user_id, key, request_hash, state, claimed_at, created_at)
           SELECT ?1, ?2, ?3, 'in_flight', ?4, ?5
           WHERE ?1 <> ?7 AND NOT EXISTS (SELECT 1 FROM erased_users WHERE user_id = ?1)
           ON CONFLICT (user_id, key) DO UPDATE SET request_hash = excluded.request_hash, state = 'in_flight',
             claimed_at = excluded.claimed_at, order_id = NULL, response_status = NULL, response_body = NULL,
             created_at = excluded.created_at
           WHERE idempotency_keys.created_at < ?6`,
        )
        .bind(row.userId, row.key, row.requestHash, row.claimedAt, row.createdAt, expiredBefore, DELETED_USER_ID)
        .run()
      return result.meta.changes === 1
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
