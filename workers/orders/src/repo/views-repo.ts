import type { EventData } from '../../../../shared-contracts/events'
import type { EVENT_TYPES } from '../../../../shared-contracts/events'
import type { Order } from '../../../../shared-contracts/orders'

type Snapshot = EventData<typeof EVENT_TYPES.orderPlaced>

interface ViewRow {
  order_id: string
  user_id: string
  status: Order['status']
  items: string
  total_cents: number
  currency: string
  cancellation_reason: Order['cancellation_reason']
  created_at: string
  updated_at: string
}

function toOrder(row: ViewRow): Order {
  return {
    id: row.order_id,
    user_id: row.user_id,
    status: row.status,
    items: JSON.parse(row.items) as Order['items'],
    total_cents: row.total_cents,
    currency: row.currency,
    cancellation_reason: row.cancellation_reason,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

export type ViewsRepo = ReturnType<typeof createViewsRepo>

export function createViewsRepo(db: D1Database) {
  return {
    /** Upserts a snapshot, stamped with when it was applied; an older (or equal) version never overwrites what is there. */
    upsertStatement(snapshot: Snapshot, appliedAt = new Date().toISOString()): D1PreparedStatement {
      return db
        .prepare(
          `INSERT INTO order_views (order_id, user_id, status, items, total_cents, currency, cancellation_reason, version, created_at, updated_at, applied_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
           ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, items = excluded.items, total_cents = excluded.total_cents,
             currency = excluded.currency, cancellation_reason = excluded.cancellation_reason, version = excluded.version,
             updated_at = excluded.updated_at, applied_at = excluded.applied_at
           WHERE excluded.version > order_views.version`,
        )
        .bind(
          snapshot.order_id,
          snapshot.user_id,
          snapshot.status,
          JSON.stringify(snapshot.items),
          snapshot.total_cents,
          snapshot.currency,
          snapshot.cancellation_reason,
          snapshot.version,
          snapshot.created_at,
          snapshot.updated_at,
          appliedAt,
        )
    },

    /** The user's orders, newest first, after the (created_at, id) position if any. */
    async listByUser(userId: string, limit: number, after: [string, string] | null): Promise<Order[]> {
      const rows = after
        ? await db
            .prepare(
              `SELECT * FROM order_views WHERE user_id = ?1 AND (created_at < ?2 OR (created_at = ?2 AND order_id < ?3))
               ORDER BY created_at DESC, order_id DESC LIMIT ?4`,
            )
            .bind(userId, after[0], after[1], limit)
            .all<ViewRow>()
        : await db
            .prepare('SELECT * FROM order_views WHERE user_id = ?1 ORDER BY created_at DESC, order_id DESC LIMIT ?2')
            .bind(userId, limit)
            .all<ViewRow>()
      return rows.results.map(toOrder)
    },
  }
}
