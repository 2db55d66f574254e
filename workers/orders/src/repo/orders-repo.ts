import { and, eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { outboxInsert } from '../../../../platform/events/outbox'
import { orderEvent } from '../events/order-events'
import type { OrderState } from '../service/order-state'
import type { Saga } from '../../../../shared-contracts/orders'
import { idempotencyKeys, orders, sagas, type OrderRow } from './schema'

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
     * The order, its `order.placed` event and the idempotency record's answer, in one batch:
     * all or nothing. The record must be this request's claim (still in flight, same claim time).
     * The saga's summary (revision 0, with its input) goes in too: a lost start is found again.
     */
    async place(
      order: OrderState,
      idempotency: { userId: string; key: string; claimedAt: number; response: StoredResponse },
      saga: { view: Saga; input: unknown },
      now: Date,
    ): Promise<void> {
      await db.batch([
        db.insert(orders).values({
          id: order.id,
          userId: order.user_id,
          status: order.status,
          items: order.items,
          totalCents: order.total_cents,
          currency: order.currency,
          cancellationReason: order.cancellation_reason,
          version: order.version,
          createdAt: order.created_at,
          updatedAt: order.updated_at,
        }),
        outboxInsert(db, orderEvent(order, now)),
        db.insert(sagas).values({
          orderId: order.id,
          status: saga.view.status,
          steps: JSON.stringify(saga.view.steps),
          revision: 0,
          input: JSON.stringify(saga.input),
          createdAt: order.created_at,
          updatedAt: order.created_at,
        }),
        db
          .update(idempotencyKeys)
          .set({ state: 'done', orderId: order.id, responseStatus: idempotency.response.status, responseBody: idempotency.response.body })
          .where(and(eq(idempotencyKeys.userId, idempotency.userId), eq(idempotencyKeys.key, idempotency.key), eq(idempotencyKeys.claimedAt, idempotency.claimedAt))),
      ])
    },

    /**
     * Writes a transition computed from `from` (guarded: only if the row is still pending at that
     * version) with its event, in one batch. False when another writer got there first.
     */
    async writeTransition(from: OrderState, to: OrderState, now: Date): Promise<boolean> {
      const event = orderEvent(to, now)
      const [updated] = await d1.batch([
        d1
          .prepare(
            `UPDATE orders SET status = ?1, cancellation_reason = ?2, version = ?3, updated_at = ?4
             WHERE id = ?5 AND status = 'pending' AND version = ?6`,
          )
          .bind(to.status, to.cancellation_reason, to.version, to.updated_at, from.id, from.version),
        // The event only if that update changed the row: same batch, so same transaction.
        d1
          .prepare('INSERT INTO outbox (id, type, envelope, created_at) SELECT ?1, ?2, ?3, ?4 WHERE changes() = 1')
          .bind(event.id, event.type, JSON.stringify(event), event.time),
      ])
      return (updated?.meta.changes ?? 0) === 1
    },
  }
}
