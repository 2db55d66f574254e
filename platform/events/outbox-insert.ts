import { sql, type SQL } from 'drizzle-orm'
import type { DrizzleD1Database } from 'drizzle-orm/d1'
import type { CloudEvent } from '../../shared-contracts/events'
import { subscribersOf } from '../../shared-contracts/subscriptions'
import { outbox } from './tables'
import { RETURNED, writerClaim } from './written-events'

// The outbox inserts a change puts in its own batch; ./outbox.ts relays what they wrote.

/** An outbox row to insert; `envelope` may be SQL that builds it from rows of the same batch. */
export interface OutboxRow {
  id: string
  type: string
  envelope: string | SQL
  createdAt: string
}

/** What an outbox insert returns: the row as the relay after the write publishes it (./written-events.ts). */
const returned = {
  [RETURNED.id]: sql<string>`id`.as(RETURNED.id),
  [RETURNED.envelope]: sql<string>`envelope`.as(RETURNED.envelope),
  [RETURNED.createdAt]: sql<string>`created_at`.as(RETURNED.createdAt),
}

/**
 * How an outbox row of `type` is written. An event no service subscribes to
 * (shared-contracts/subscriptions.ts) has no queue to go to: it is stored as sent when it is
 * written, kept for replay and retention like every sent row, and never claimed, returned or
 * marked (docs/adr/0065). Every other row is claimed by its writer when `db` records its writes.
 */
function writeAs(db: unknown, type: string, createdAt: string) {
  if (subscribersOf(type).length === 0) return { sentAt: createdAt, claimedUntil: null, attempts: 0, relayed: false }
  return { sentAt: null, ...writerClaim(db), relayed: true }
}

/**
 * The insert of an outbox row, for the `db.batch` of the change it announces. Through a database
 * that records its writes (an RPC call's or an HTTP write's), the row is claimed by its writer in
 * the same batch and returned to the relay after the work.
 */
export function outboxRowInsert(db: DrizzleD1Database, row: OutboxRow) {
  const { relayed, ...state } = writeAs(db, row.type, row.createdAt)
  const insert = db.insert(outbox).values({ ...row, ...state })
  return relayed ? insert.returning(returned) : insert
}

/** The outbox row for an event: put it in the same `db.batch` as the change it announces. */
export function outboxInsert(db: DrizzleD1Database, event: CloudEvent) {
  return outboxRowInsert(db, { id: event.id, type: event.type, envelope: JSON.stringify(event), createdAt: event.time })
}

/**
 * The outbox row for an event, written only if `condition` (SQL, with `?1`.. bound to `params`)
 * holds when its batch runs: a guarded update (`… WHERE status = 'pending'`) that changed
 * nothing, or a write whose claim was lost, must not leave an event behind. Raw SQL because
 * drizzle's insert has no `INSERT … SELECT … WHERE`; it sets the columns `outboxInsert` sets,
 * and returns nothing when it inserted nothing, so the relay after the write sends nothing.
 */
export function outboxInsertWhen(d1: D1Database, event: CloudEvent, condition: string, ...params: unknown[]): D1PreparedStatement {
  return outboxInsertFrom(d1, event, (json) => json, `WHERE ${condition}`, ...params)
}

/**
 * The outbox row for an event as an `INSERT … SELECT … <source>`: one row per row `source`
 * (`FROM … WHERE …`, with `?1`.. bound to `params`) yields, with the envelope built by the SQL
 * `envelope` makes of the event's JSON parameter (e.g. a `json_set` filling in columns of that
 * row). Written like every outbox insert (claimed and returned to the relay after the write, or
 * stored as sent when no one subscribes); none when `source` yields no row.
 */
export function outboxInsertFrom(
  d1: D1Database,
  event: CloudEvent,
  envelope: (json: string) => string,
  source: string,
  ...params: unknown[]
): D1PreparedStatement {
  const at = params.length
  const { sentAt, claimedUntil, attempts, relayed } = writeAs(d1, event.type, event.time)
  const returning = relayed ? `RETURNING id AS ${RETURNED.id}, envelope AS ${RETURNED.envelope}, created_at AS ${RETURNED.createdAt}` : ''
  return d1
    .prepare(
      `INSERT INTO outbox (id, type, envelope, created_at, sent_at, claimed_until, attempts)
       SELECT ?${at + 1}, ?${at + 2}, ${envelope(`?${at + 3}`)}, ?${at + 4}, ?${at + 5}, ?${at + 6}, ?${at + 7} ${source}
       ${returning}`,
    )
    .bind(...params, event.id, event.type, JSON.stringify(event), event.time, sentAt, claimedUntil, attempts)
}
