import { Hono } from 'hono'
import { ReplayRequestSchema, type ReplayResult } from '../../shared-contracts/operations'
import { problem } from '../errors/problem'
import { readJson } from '../http/json-body'
import { shardsOf } from '../db/shards'
import { drainOutbox, publishRows, type Queues, type StoredEvent } from './outbox'

export interface ReplayFilter {
  /** RFC 3339: events created at or after this. */
  since: string
  type?: string
}

/** Rows per page: one query and one `sendBatch` per subscriber (a batch takes at most 100 messages). */
const PAGE = 100

/**
 * Re-publishes the retained, already sent outbox events that match, oldest first, to every
 * subscriber's queue. Consumers dedupe on the event's id (inbox), so what was applied stays as
 * it is and only what was lost takes effect. Rows not yet sent are the relay's, not a replay's.
 * Answers how many events went out; a page that fails to send throws (the caller may retry:
 * a replay is idempotent).
 */
export async function replayOutbox(db: D1Database, env: Queues, filter: ReplayFilter): Promise<number> {
  const since = new Date(filter.since).toISOString()
  let after: [string, string] = [since, '']
  let replayed = 0
  for (;;) {
    const page = await db
      .prepare(
        `SELECT id, envelope, created_at FROM outbox
         WHERE sent_at IS NOT NULL AND (created_at > ?1 OR (created_at = ?1 AND id > ?2)) AND (?3 IS NULL OR type = ?3)
         ORDER BY created_at, id LIMIT ?4`,
      )
      .bind(after[0], after[1], filter.type ?? null, PAGE)
      .all<StoredEvent & { created_at: string }>()
    if (page.results.length === 0) return replayed
    const failures = await publishRows(env, page.results)
    if (failures.size > 0) throw new Error(`replay could not send: ${[...new Set(failures.values())].join('; ')}`)
    replayed += page.results.length
    const last = page.results.at(-1)!
    after = [last.created_at, last.id]
    if (page.results.length < PAGE) return replayed
  }
}

/**
 * The internal route (behind the gateway credential, admin only) through which the gateway's
 * `POST /api/v1/admin/events/replay` asks a producer to replay its outbox. It relays whatever is
 * still pending first, so afterwards every retained event since `since` was published at least
 * once — also where no sweep ran (a local system restarted after a crash).
 */
export function replayRoutes<E extends { Bindings: object }>(): Hono<E> {
  const routes = new Hono<E>()
  routes.post('/internal/events/replay', async (c) => {
    const request = await readJson(c, ReplayRequestSchema)
    if (!request.ok) return problem(c, request.error)
    // Every shard's outbox (a database that is not sharded is one shard: ../db/shards.ts).
    const counts = await Promise.all(
      shardsOf(c.env).map(async (db) => {
        await drainOutbox(db, c.env)
        return replayOutbox(db, c.env, request.value)
      }),
    )
    return c.json({ replayed: counts.reduce((sum, count) => sum + count, 0) } satisfies ReplayResult)
  })
  return routes
}
