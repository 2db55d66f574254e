import type { DrizzleD1Database } from 'drizzle-orm/d1'
import type { CloudEvent } from '../../shared-contracts/events'
import { queueBindingFor, subscribersOf, type Subscriber } from '../../shared-contracts/subscriptions'
import { outbox } from './tables'
import { SpanKind, withSpan } from '../telemetry/trace-context'

/** The outbox row for an event: put it in the same `db.batch` as the change it announces. */
export function outboxInsert(db: DrizzleD1Database, event: CloudEvent) {
  return db.insert(outbox).values({ id: event.id, type: event.type, envelope: JSON.stringify(event), createdAt: event.time })
}

/**
 * The outbox row for an event, written only if `condition` (SQL, with `?1`.. bound to `params`)
 * holds when its batch runs: a guarded update (`… WHERE status = 'pending'`) that changed
 * nothing, or a write whose claim was lost, must not leave an event behind. Raw SQL because
 * drizzle's insert has no `INSERT … SELECT … WHERE`; it sets the columns `outboxInsert` sets.
 */
export function outboxInsertWhen(d1: D1Database, event: CloudEvent, condition: string, ...params: unknown[]): D1PreparedStatement {
  const values = params.length
  return d1
    .prepare(
      `INSERT INTO outbox (id, type, envelope, created_at)
       SELECT ?${values + 1}, ?${values + 2}, ?${values + 3}, ?${values + 4} WHERE ${condition}`,
    )
    .bind(...params, event.id, event.type, JSON.stringify(event), event.time)
}

export interface RelayOptions {
  limit?: number
  /** How long a claimed row is held before another relay may take it over. */
  leaseMs?: number
  now?: () => number
}

export interface RelayReport {
  sent: number
  failed: number
}

/** A Worker's env: the producer bindings `EVENTS_<SUBSCRIBER>` are looked up in it. */
export type Queues = object

function queueOf(env: Queues, subscriber: Subscriber): Queue | null {
  const queue = (env as Record<string, unknown>)[queueBindingFor(subscriber)]
  return queue && typeof (queue as Queue).sendBatch === 'function' ? (queue as Queue) : null
}

/** A stored envelope to publish: an outbox row's id and its JSON. */
export interface StoredEvent {
  id: string
  envelope: string
}

/**
 * Sends events to every subscriber's queue (the subscription table decides which), one
 * `sendBatch` per subscriber; answers the ids that could not be sent, with why.
 */
export async function publishRows(env: Queues, rows: readonly StoredEvent[]): Promise<Map<string, string>> {
  const failures = new Map<string, string>()
  const bySubscriber = new Map<Subscriber, StoredEvent[]>()
  for (const row of rows) {
    for (const subscriber of subscribersOf((JSON.parse(row.envelope) as CloudEvent).type)) {
      bySubscriber.set(subscriber, [...(bySubscriber.get(subscriber) ?? []), row])
    }
  }
  for (const [subscriber, pending] of bySubscriber) {
    const queue = queueOf(env, subscriber)
    try {
      if (!queue) throw new Error(`no producer binding ${queueBindingFor(subscriber)}`)
      // A PRODUCER span per batch (messaging semantic conventions); each message carries the
      // traceparent of the change that created it (CloudEvents extension), not this span's.
      const attributes = {
        'messaging.system': 'cloudflare_queues',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'sendBatch',
        'messaging.destination.name': queueBindingFor(subscriber),
        'messaging.batch.message_count': pending.length,
      }
      await withSpan(`send ${queueBindingFor(subscriber)}`, { kind: SpanKind.PRODUCER, attributes }, () =>
        queue.sendBatch(pending.map((row) => ({ body: JSON.parse(row.envelope) as CloudEvent, contentType: 'json' as const }))),
      )
    } catch (error) {
      for (const row of pending) failures.set(row.id, `${subscriber}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return failures
}

/**
 * Sends pending outbox rows to their subscribers' queues (`publishRows`) and marks them sent.
 * Rows are claimed first, so the relay after a response and the scheduled sweep do not both
 * send a row; a row whose send fails keeps its place and is retried by the
 * next sweep. Delivery is at least once: consumers deduplicate.
 */
export async function relayOutbox(db: D1Database, env: Queues, options: RelayOptions = {}): Promise<RelayReport> {
  const { limit = 50, leaseMs = 30_000, now = Date.now } = options
  const claimed = await db
    .prepare(
      `UPDATE outbox SET claimed_until = ?1, attempts = attempts + 1
       WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?2)
                    ORDER BY created_at, id LIMIT ?3)
       RETURNING id, envelope, created_at`,
    )
    .bind(now() + leaseMs, now(), limit)
    .all<{ id: string; envelope: string; created_at: string }>()
  const rows = claimed.results.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
  const failures = await publishRows(env, rows)
  const sentAt = new Date(now()).toISOString()
  const statements = rows.map((row) => {
    const failure = failures.get(row.id)
    return failure === undefined
      ? db.prepare('UPDATE outbox SET sent_at = ?1, claimed_until = NULL, last_error = NULL WHERE id = ?2').bind(sentAt, row.id)
      : db.prepare('UPDATE outbox SET claimed_until = NULL, last_error = ?1 WHERE id = ?2').bind(failure, row.id)
  })
  if (statements.length > 0) await db.batch(statements)
  return { sent: rows.length - failures.size, failed: failures.size }
}

/** Relays until the outbox is drained or a pass sends nothing more (the scheduled sweep). */
export async function drainOutbox(db: D1Database, env: Queues, options: RelayOptions = {}): Promise<RelayReport> {
  const total: RelayReport = { sent: 0, failed: 0 }
  for (let pass = 0; pass < 20; pass++) {
    const report = await relayOutbox(db, env, options)
    total.sent += report.sent
    total.failed += report.failed
    if (report.sent === 0) break
  }
  return total
}
