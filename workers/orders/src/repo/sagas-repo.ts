import type { Saga, SagaStatus } from '../../../../shared-contracts/orders'

interface SagaRow {
  order_id: string
  status: SagaStatus
  steps: string
  created_at: string
}

export interface SagaSummary {
  saga: Saga
  revision: number
  createdAt: string
  updatedAt: string
}

export type SagasRepo = ReturnType<typeof createSagasRepo>

/**
 * The summary's upsert, its values selected by `source` (`?1`..`?6` are its values): a lower
 * revision never overwrites a higher one. The coordinator's first write clears `input` (it holds
 * the payment token): from then on the object's own storage has it, and only a saga that never
 * started (revision 0) needs it from here.
 */
const upsertFrom = (source: string) =>
  `INSERT INTO sagas (order_id, status, steps, revision, created_at, updated_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6 ${source}
   ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, steps = excluded.steps, revision = excluded.revision,
     updated_at = excluded.updated_at,
     input = NULL
   WHERE excluded.revision > sagas.revision`

const summaryValues = ({ saga, revision, createdAt, updatedAt }: SagaSummary) =>
  [saga.order_id, saga.status, JSON.stringify(saga.steps), revision, createdAt, updatedAt] as const

/**
 * The summary's upsert for the batch of the order change that ends its saga: written only if
 * that change is made, the order `order_id` still pending when the batch runs (place it before
 * the change's UPDATE).
 */
export function summaryWithPendingOrder(db: D1Database, summary: SagaSummary): D1PreparedStatement {
  return db.prepare(upsertFrom("FROM orders WHERE id = ?1 AND status = 'pending'")).bind(...summaryValues(summary))
}

/** The `sagas` summary table: written by each coordinator, read by the admin list. */
export function createSagasRepo(db: D1Database) {
  return {
    /** Upserts a saga's summary (`upsertFrom`). */
    async upsert(summary: SagaSummary): Promise<void> {
      // `WHERE true`: SQLite reads an upsert's SELECT without a WHERE as ambiguous.
      await db
        .prepare(upsertFrom('WHERE true'))
        .bind(...summaryValues(summary))
        .run()
    },

    async find(orderId: string): Promise<Saga | null> {
      const row = await db
        .prepare('SELECT order_id, status, steps FROM sagas WHERE order_id = ?1')
        .bind(orderId)
        .first<Omit<SagaRow, 'created_at'>>()
      return row ? { order_id: row.order_id, status: row.status, steps: JSON.parse(row.steps) as Saga['steps'] } : null
    },

    /** Sagas written with their order (revision 0) but never started by their coordinator, placed before `cutoff`. */
    async unstarted(cutoff: string, limit = 50): Promise<unknown[]> {
      const rows = await db
        .prepare('SELECT input FROM sagas WHERE revision = 0 AND input IS NOT NULL AND created_at < ?1 ORDER BY created_at LIMIT ?2')
        .bind(cutoff, limit)
        .all<{ input: string }>()
      return rows.results.map((row) => JSON.parse(row.input) as unknown)
    },

    /** Newest first, optionally of one status, after the (created_at, order_id) position if any. */
    async list(status: SagaStatus | undefined, limit: number, after: [string, string] | null): Promise<(Saga & { created_at: string })[]> {
      const conditions: string[] = []
      const params: unknown[] = []
      if (status) {
        params.push(status)
        conditions.push(`status = ?${params.length}`)
      }
      if (after) {
        params.push(after[0], after[1])
        conditions.push(`(created_at < ?${params.length - 1} OR (created_at = ?${params.length - 1} AND order_id < ?${params.length}))`)
      }
      params.push(limit)
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''
      const rows = await db
        .prepare(
          `SELECT order_id, status, steps, created_at FROM sagas ${where} ORDER BY created_at DESC, order_id DESC LIMIT ?${params.length}`,
        )
        .bind(...params)
        .all<SagaRow>()
      return rows.results.map((row) => ({
        order_id: row.order_id,
        status: row.status,
        steps: JSON.parse(row.steps) as Saga['steps'],
        created_at: row.created_at,
      }))
    },
  }
}
