import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { outboxInsertFrom, outboxInsertWhen } from '../../../../platform/events/outbox-insert'
import { orderEvent } from '../events/order-events'
import type { OrderState, PendingChange } from '../service/order-state'
import type { Saga } from '../../../../shared-contracts/orders'
import { claimStatement, type KeyClaim } from './idempotency-repo'
import { summaryWithPendingOrder, type SagaSummary } from './sagas-repo'
import { orders, type OrderRow } from './schema'

/**
 * The shard whose `orders` holds the order, or null: for an order found by id alone (an erased
 * user's, whose rows no longer name the user its shard was chosen by).
 */
export async function shardHoldingOrder(shards: readonly D1Database[], orderId: string): Promise<D1Database | null> {
  for (const db of shards) {
    const found = await drizzle(db).select({ id: orders.id }).from(orders).where(eq(orders.id, orderId)).get()
    if (found) return db
  }
  return null
}

function toState(row: OrderRow): OrderState {
  return {
    id: row.id,
    user_id: row.userId,
    status: row.status,
    items: row.items,
    total_cents: row.totalCents,
    currency: row.currency,
    cancellation_reason: row.cancellationReason ?? null,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    version: row.version,
  }
}

/** An `orders` row as SQL answers it (RETURNING *): snake_case, items as JSON text. */
interface RawOrderRow {
  id: string
  user_id: string
  status: OrderState['status']
  items: string
  total_cents: number
  currency: string
  cancellation_reason: OrderState['cancellation_reason']
  version: number
  created_at: string
  updated_at: string
}

function fromRaw(row: RawOrderRow): OrderState {
  return { ...row, items: JSON.parse(row.items) as OrderState['items'], cancellation_reason: row.cancellation_reason ?? null }
}

export interface StoredResponse {
  status: number
  body: string
}

export type OrdersRepo = ReturnType<typeof createOrdersRepo>

export function createOrdersRepo(d1: D1Database) {
  const db = drizzle(d1)
  return {
    async find(id: string): Promise<OrderState | null> {
      const row = await db.select().from(orders).where(eq(orders.id, id)).get()
      return row ? toState(row) : null
    },

    /**
     * The key's claim with its answer, the order, its `order.placed` event and the saga's summary
     * (revision 0, with its input: a lost start is found again), in one batch. The claim comes
     * first (`claimStatement`); every insert after it selects from the key's row as the claim
     * left it, naming this order, so a claim refused (the key held, done or erased) writes
     * nothing at all and answers false: one key never makes two orders.
     */
    async place(order: OrderState, claim: Omit<KeyClaim, 'orderId'>, saga: { view: Saga; input: unknown }): Promise<boolean> {
      const event = orderEvent(order, claim.at)
      const key = [claim.userId, claim.key, order.id] as const
      const claimed = `FROM idempotency_keys WHERE user_id = ?1 AND key = ?2 AND order_id = ?3`
      const [claiming] = await d1.batch([
        claimStatement(d1, { ...claim, orderId: order.id }),
        d1
          .prepare(
            `INSERT INTO orders (id, user_id, status, items, total_cents, currency, cancellation_reason, version, created_at, updated_at)
             SELECT ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 ${claimed}`,
          )
          .bind(
            ...key,
            order.user_id,
            order.status,
            JSON.stringify(order.items),
            order.total_cents,
            order.currency,
            order.cancellation_reason,
            order.version,
            order.created_at,
            order.updated_at,
          ),
        outboxInsertWhen(d1, event, `EXISTS (SELECT 1 ${claimed})`, ...key),
        d1
          .prepare(
            `INSERT INTO sagas (order_id, status, steps, revision, input, created_at, updated_at) SELECT ?3, ?4, ?5, 0, ?6, ?7, ?7 ${claimed}`,
          )
          .bind(...key, saga.view.status, JSON.stringify(saga.view.steps), JSON.stringify(saga.input), order.created_at),
      ])
      return (claiming?.meta.changes ?? 0) === 1
    },

    /**
     * Applies `change` to the order if it is still pending, with its event, in one batch and
     * without reading the order first: the event is built from the pending row and the UPDATE is
     * guarded by the same `status = 'pending'`, in the same transaction. Answers the order as
     * changed, or null when it was not pending (or does not exist): nothing was written.
     * `summary`: the order's saga summary as the change leaves it, written with the change only.
     */
    async changePending(id: string, change: PendingChange, now: Date, summary?: SagaSummary): Promise<OrderState | null> {
      // The event's snapshot with the fields the row supplies left blank; json_set fills them in.
      const blank: OrderState = { id, user_id: '', items: [], total_cents: 0, currency: '', ...change, created_at: '', version: 0 }
      const event = orderEvent(blank, now)
      const results = await d1.batch([
        outboxInsertFrom(
          d1,
          event,
          (json) =>
            `json_set(${json}, '$.data.user_id', user_id, '$.data.items', json(items), '$.data.total_cents', total_cents,
               '$.data.currency', currency, '$.data.created_at', created_at, '$.data.version', version + 1)`,
          `FROM orders WHERE id = ?1 AND status = 'pending'`,
          id,
        ),
        ...(summary ? [summaryWithPendingOrder(d1, summary)] : []),
        d1
          .prepare(
            `UPDATE orders SET status = ?1, cancellation_reason = ?2, version = version + 1, updated_at = ?3
             WHERE id = ?4 AND status = 'pending' RETURNING *`,
          )
          .bind(change.status, change.cancellation_reason, change.updated_at, id),
      ])
      const row = results.at(-1)?.results[0] as RawOrderRow | undefined
      return row ? fromRaw(row) : null
    },
  }
}
