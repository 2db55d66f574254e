import { ok, type Result } from '../../../../shared-contracts/errors'
import type { Order, OrderV2, Saga, SagaStatus } from '../../../../shared-contracts/orders'
import { encodeCursor, type Page, type Position } from '../../../../shared-contracts/pagination'
import type { SagasRepo } from '../repo/sagas-repo'
import type { ViewsRepo } from '../repo/views-repo'

/** v2: money as `{ amount, currency }` objects. */
export function toOrderV2(order: Order): OrderV2 {
  return {
    id: order.id,
    status: order.status,
    items: order.items.map((item) => ({
      product_id: item.product_id,
      quantity: item.quantity,
      unit_price: { amount: item.unit_price_cents, currency: order.currency },
    })),
    total: { amount: order.total_cents, currency: order.currency },
    cancellation_reason: order.cancellation_reason,
    created_at: order.created_at,
    updated_at: order.updated_at,
  }
}

export type QueriesService = ReturnType<typeof createQueriesService>

/** SQLite's BINARY collation: code units, not a locale's order. */
const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
/** Newest first, as every shard's list is ordered: by `created_at`, then `order_id`, both descending. */
const newestFirst = (a: { created_at: string; order_id: string }, b: { created_at: string; order_id: string }) =>
  binary(b.created_at, a.created_at) || binary(b.order_id, a.order_id)

/**
 * Reads: the order list from the read model, the admin saga list from the summaries. `views` and
 * `sagas` are the caller's shard; `allSagas` every shard, for the admin's list across all users.
 */
export function createQueriesService(deps: { views: ViewsRepo; sagas: SagasRepo; allSagas: readonly SagasRepo[] }) {
  return {
    /** The caller's orders after `after` (a cursor's position, checked by the route's query schema). */
    async listOrders(userId: string, limit: number, after: Position | undefined): Promise<Result<Page<Order>>> {
      const rows = await deps.views.listByUser(userId, limit + 1, after ?? null)
      const items = rows.slice(0, limit)
      const last = items.at(-1)
      return ok({ items, next_cursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null })
    },

    /** A saga's summary: what the order's saga looks like before its coordinator has started. */
    sagaSummary: (orderId: string): Promise<Saga | null> => deps.sagas.find(orderId),

    /** Every shard's next `limit + 1` after the cursor, merged: the page and whether there is more. */
    async listSagas(status: SagaStatus | undefined, limit: number, after: Position | undefined): Promise<Result<Page<Saga>>> {
      const pages = await Promise.all(deps.allSagas.map((sagas) => sagas.list(status, limit + 1, after ?? null)))
      const rows = pages.flat().sort(newestFirst)
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      return ok({
        items: page.map(({ created_at: _created, ...saga }) => saga),
        next_cursor: rows.length > limit && last ? encodeCursor([last.created_at, last.order_id]) : null,
      })
    },
  }
}
