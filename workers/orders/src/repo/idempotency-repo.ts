import { and, eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { idempotencyKeys, type IdempotencyRow } from './schema'
import { DELETED_USER_ID } from '../../../../shared-contracts/events'

export type IdempotencyRepo = ReturnType<typeof createIdempotencyRepo>

/** A request's claim on its key, written already answered: the claim and the answer are one row. */
export interface KeyClaim {
  userId: string
  key: string
  requestHash: string
  orderId: string
  response: { status: number; body: string }
  at: Date
  /** A key created before this is past its replay window: it is new again. */
  expiredBefore: string
  /** An in-flight claim (written by an earlier build) claimed before this belongs to a request that died. */
  staleBefore: number
}

/**
 * The claim as the first statement of the placement's batch: inserts the key with its answer, or
 * takes over a key past its replay window or a stale in-flight claim — and only while the user is
 * not erased. It changes no row when the key is held (or done) or the user was erased; the
 * batch's other statements select from the row it wrote (`order_id` is the new order's), so they
 * then write nothing either.
 */
export function claimStatement(d1: D1Database, claim: KeyClaim): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, state, claimed_at, created_at, order_id, response_status, response_body)
       SELECT ?1, ?2, ?3, 'done', ?4, ?5, ?6, ?7, ?8
       WHERE ?1 <> ?11 AND NOT EXISTS (SELECT 1 FROM erased_users WHERE user_id = ?1)
       ON CONFLICT (user_id, key) DO UPDATE SET request_hash = excluded.request_hash, state = 'done',
         claimed_at = excluded.claimed_at, created_at = excluded.created_at, order_id = excluded.order_id,
         response_status = excluded.response_status, response_body = excluded.response_body
       WHERE idempotency_keys.created_at < ?9 OR (idempotency_keys.state = 'in_flight' AND idempotency_keys.claimed_at < ?10)`,
    )
    .bind(
      claim.userId,
      claim.key,
      claim.requestHash,
      claim.at.getTime(),
      claim.at.toISOString(),
      claim.orderId,
      claim.response.status,
      claim.response.body,
      claim.expiredBefore,
      claim.staleBefore,
      DELETED_USER_ID,
    )
}

export function createIdempotencyRepo(d1: D1Database) {
  const db = drizzle(d1)
  const byKey = (userId: string, key: string) => and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key))
  return {
    async find(userId: string, key: string): Promise<IdempotencyRow | null> {
      return (await db.select().from(idempotencyKeys).where(byKey(userId, key)).get()) ?? null
    },
  }
}
