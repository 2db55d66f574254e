import type { CloudEvent } from '../../shared-contracts/events'
import { queueBindingFor, subscribersOf, type Subscriber } from '../../shared-contracts/subscriptions'
import { SpanKind, withSpan } from '../telemetry/trace-context'
import { takeWritten, WRITER_LEASE_MS, type WrittenRow } from './written-events'

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
 * `sendBatch` per subscriber, all at once; answers the ids that could not be sent, with why.
 */
export async function publishRows(env: Queues, rows: readonly StoredEvent[]): Promise<Map<string, string>> {
  const failures = new Map<string, string>()
  const bySubscriber = new Map<Subscriber, StoredEvent[]>()
  for (const row of rows) {
    for (const subscriber of subscribersOf((JSON.parse(row.envelope) as CloudEvent).type)) {
      bySubscriber.set(subscriber, [...(bySubscriber.get(subscriber) ?? []), row])
    }
  }
  // One send per subscriber's queue, all at once: a relay waits for the slowest, not for their sum.
  const sends = [...bySubscriber].map(async ([subscriber, pending]) => {
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
  })
  await Promise.all(sends)
  return failures
}

/**
 * Sends outbox rows to their subscribers' queues (`publishRows`) and marks them sent.
 * - Through a database that records its writes (./written-events.ts), the rows that work wrote:
 *   its writer claimed them in their own batch, so this sends them and marks them sent, one
 *   statement, and reads nothing.
 * - Otherwise, pending rows whose claim is free or has lapsed: claimed first (a second
 *   statement), so that the relay after a response and the scheduled sweep do not both send a row.
 * A row whose send fails keeps its place and is retried by the next sweep. Delivery is at least
 * once: consumers deduplicate.
 */
export async function relayOutbox(db: D1Database, env: Queues, options: RelayOptions = {}): Promise<RelayReport> {
  const written = takeWritten(db)
  if (written) return sendAndMark(db, env, written, options.now ?? Date.now)
  return relayPending(db, env, options)
}

/** Claims pending rows whose claim is free or has lapsed, then sends them (the second case above). */
async function relayPending(db: D1Database, env: Queues, options: RelayOptions): Promise<RelayReport> {
  const { limit = 50, leaseMs = WRITER_LEASE_MS, now = Date.now } = options
  const claimed = await db
    .prepare(
      `UPDATE outbox SET claimed_until = ?1, attempts = attempts + 1
       WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?2)
                    ORDER BY created_at, id LIMIT ?3)
       RETURNING id, envelope, created_at`,
    )
    .bind(now() + leaseMs, now(), limit)
    .all<WrittenRow>()
  return sendAndMark(db, env, claimed.results, now)
}

/** Publishes claimed rows in their order, then marks those sent in one statement and frees the claims of those that failed. */
async function sendAndMark(db: D1Database, env: Queues, claimed: readonly WrittenRow[], now: () => number): Promise<RelayReport> {
  if (claimed.length === 0) return { sent: 0, failed: 0 }
  const rows = [...claimed].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
  const failures = await publishRows(env, rows)
  const sent = rows.filter((row) => !failures.has(row.id)).map((row) => row.id)
  const statements = [
    ...(sent.length > 0
      ? [
          db
            .prepare(
              'UPDATE outbox SET sent_at = ?1, claimed_until = NULL, last_error = NULL WHERE id IN (SELECT value FROM json_each(?2))',
            )
            .bind(new Date(now()).toISOString(), JSON.stringify(sent)),
        ]
      : []),
    ...[...failures].map(([id, failure]) =>
      db.prepare('UPDATE outbox SET claimed_until = NULL, last_error = ?1 WHERE id = ?2').bind(failure, id),
    ),
  ]
  if (statements.length === 1) await statements[0]!.run()
  else await db.batch(statements)
  return { sent: sent.length, failed: failures.size }
}

/**
 * Relays pending rows until the outbox is drained or a pass sends nothing more (the scheduled
 * sweep, a replay). Always by claiming, even through a database that records its writes: what
 * the work itself wrote is not what a drain is for.
 */
export async function drainOutbox(db: D1Database, env: Queues, options: RelayOptions = {}): Promise<RelayReport> {
  const total: RelayReport = { sent: 0, failed: 0 }
  for (let pass = 0; pass < 20; pass++) {
    const report = await relayPending(db, env, options)
    total.sent += report.sent
    total.failed += report.failed
    if (report.sent === 0) break
  }
  return total
}
