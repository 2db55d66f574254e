import { Hono } from 'hono'
import type { DeadLetterView } from '../../shared-contracts/api-schemas'
import { CloudEventSchema } from '../../shared-contracts/events'
import { problem } from '../errors/problem'
import { validate } from '../http/json-body'
import { ListQuerySchema, type Page, type Position } from '../../shared-contracts/pagination'

/** A dead letter as its service stores and answers it: the admin API's shape without the service (the gateway adds it). */
export type DeadLetter = Omit<DeadLetterView, 'service'>

/** Keeps every message of a dead-letter queue batch, once (keyed by message id), then acks it. */
export async function storeDeadLetters(batch: MessageBatch<unknown>, db: D1Database): Promise<void> {
  const now = new Date().toISOString()
  const statements = batch.messages.map((message) => {
    const parsed = CloudEventSchema.safeParse(message.body)
    return db
      .prepare(
        `INSERT INTO dead_letters (id, event_id, event_type, body, attempts, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(id) DO NOTHING`,
      )
      .bind(
        message.id,
        parsed.success ? parsed.data.id : null,
        parsed.success ? parsed.data.type : null,
        JSON.stringify(message.body ?? null),
        message.attempts,
        now,
      )
  })
  if (statements.length > 0) await db.batch(statements)
  batch.ackAll()
}

interface DeadLetterRow {
  id: string
  event_id: string | null
  event_type: string | null
  body: string
  attempts: number
  received_at: string
  replayed_at: string | null
}

const toDeadLetter = (row: DeadLetterRow): DeadLetter => ({ ...row, body: JSON.parse(row.body) as unknown })

/**
 * One service's dead letters after a position of the admin list, newest first. The list spans
 * every subscriber, so a position is (received_at, public id `<service>:<id>`) and each service
 * compares its rows by their public ids.
 */
async function listAfter(db: D1Database, service: string, after: Position | null, limit: number): Promise<Page<DeadLetter>> {
  const rows = await db
    .prepare(
      `SELECT * FROM dead_letters
       WHERE ?1 IS NULL OR received_at < ?1 OR (received_at = ?1 AND (?3 || ':' || id) < ?2)
       ORDER BY received_at DESC, (?3 || ':' || id) DESC LIMIT ?4`,
    )
    .bind(after?.[0] ?? null, after?.[1] ?? '', service, limit + 1)
    .all<DeadLetterRow>()
  // The service only says whether there is more; the gateway makes the cursor of the merged page.
  return { items: rows.results.slice(0, limit).map(toDeadLetter), next_cursor: rows.results.length > limit ? 'more' : null }
}

/**
 * Internal routes (behind the gateway credential) through which the gateway's admin API lists a
 * service's dead letters (`?limit=&cursor=`, the cursor of the admin list) and replays one onto
 * the service's own queue.
 */
export function deadLetterRoutes<E extends { Bindings: object }>(
  service: string,
  resources: (env: E['Bindings']) => { db: D1Database; queue: Queue },
): Hono<E> {
  const routes = new Hono<E>()
  routes.get('/internal/dead-letters', async (c) => {
    const query = validate(ListQuerySchema, c.req.query())
    if (!query.ok) return problem(c, query.error)
    return c.json(await listAfter(resources(c.env).db, service, query.value.cursor ?? null, query.value.limit))
  })
  routes.post('/internal/dead-letters/:id/replay', async (c) => {
    const { db, queue } = resources(c.env)
    const row = await db.prepare('SELECT * FROM dead_letters WHERE id = ?1').bind(c.req.param('id')).first<DeadLetterRow>()
    if (!row) return problem(c, { code: 'not_found', detail: 'No such dead letter.' })
    await queue.send(JSON.parse(row.body), { contentType: 'json' })
    const replayedAt = new Date().toISOString()
    await db.prepare('UPDATE dead_letters SET replayed_at = ?1 WHERE id = ?2').bind(replayedAt, row.id).run()
    return c.json(toDeadLetter({ ...row, replayed_at: replayedAt }))
  })
  return routes
}
