// Writes the read model straight from the aggregate, in one statement per page: the read of
// `orders` and the write of `order_views` are one SQLite statement, so an event applied in
// between cannot be overwritten by an older snapshot. A row is written only when it is missing,
// behind the aggregate, or differs at the same version (a corrupted row); never when the view
// is ahead (an event newer than this read).

const COLUMNS = 'order_id, user_id, status, items, total_cents, currency, cancellation_reason, version, created_at, updated_at, applied_at'
// A repaired row is stamped with the time of the repair: how long the view really trailed.
const FROM_ORDERS = `o.id, o.user_id, o.status, o.items, o.total_cents, o.currency, o.cancellation_reason, o.version, o.created_at, o.updated_at,
  strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`
const UPSERT = `ON CONFLICT (order_id) DO UPDATE SET user_id = excluded.user_id, status = excluded.status, items = excluded.items,
    total_cents = excluded.total_cents, currency = excluded.currency, cancellation_reason = excluded.cancellation_reason,
    version = excluded.version, created_at = excluded.created_at, updated_at = excluded.updated_at, applied_at = excluded.applied_at
  WHERE excluded.version > order_views.version OR (excluded.version = order_views.version AND (
    excluded.user_id IS NOT order_views.user_id OR excluded.status IS NOT order_views.status OR excluded.items IS NOT order_views.items
    OR excluded.total_cents IS NOT order_views.total_cents OR excluded.currency IS NOT order_views.currency
    OR excluded.cancellation_reason IS NOT order_views.cancellation_reason OR excluded.created_at IS NOT order_views.created_at
    OR excluded.updated_at IS NOT order_views.updated_at))`

export type ViewRepairRepo = ReturnType<typeof createViewRepairRepo>

export function createViewRepairRepo(db: D1Database) {
  return {
    /** The next `limit` order ids after `afterId`, in id order: a rebuild's pages. */
    async idsAfter(afterId: string, limit: number): Promise<string[]> {
      const rows = await db.prepare('SELECT id FROM orders WHERE id > ?1 ORDER BY id LIMIT ?2').bind(afterId, limit).all<{ id: string }>()
      return rows.results.map((row) => row.id)
    },

    /** Writes the views of the orders with ids in (afterId, lastId]; answers how many rows changed. */
    async rebuildRange(afterId: string, lastId: string): Promise<number> {
      const result = await db
        .prepare(`INSERT INTO order_views (${COLUMNS}) SELECT ${FROM_ORDERS} FROM orders o WHERE o.id > ?1 AND o.id <= ?2 ${UPSERT}`)
        .bind(afterId, lastId)
        .run()
      return result.meta.changes ?? 0
    },

    /** Repairs up to `limit` views missing or behind an aggregate last changed before `cutoff`. */
    async repairLagging(cutoff: string, limit: number): Promise<number> {
      const result = await db
        .prepare(
          `INSERT INTO order_views (${COLUMNS}) SELECT ${FROM_ORDERS} FROM orders o LEFT JOIN order_views v ON v.order_id = o.id
           WHERE (v.order_id IS NULL OR v.version < o.version) AND o.updated_at < ?1 LIMIT ?2 ${UPSERT}`,
        )
        .bind(cutoff, limit)
        .run()
      return result.meta.changes ?? 0
    },
  }
}
