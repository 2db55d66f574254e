import { CloudEventSchema, EVENT_SCHEMAS, type CloudEvent, type EventData, type EventType } from '../../shared-contracts/events'
import { traceMessage } from './trace-message'
import { markActiveSpanFailed, SpanKind, withSpan } from '../telemetry/trace-context'
import { createLogger, type Logger } from '../telemetry/log'
import { withRequestContext } from '../telemetry/request-context'
import { positiveNumberVar } from '../env/vars'

/** What a handler wants written: statements run in one batch with the inbox row. */
export type Effects = D1PreparedStatement[]

export type EventHandlers = {
  [T in EventType]?: (event: CloudEvent<EventData<T>>) => Promise<Effects>
}

export interface ConsumerOptions {
  service: string
  db: D1Database
  handlers: EventHandlers
  /** Retry delay = base × 2^(attempt − 1) seconds, capped at a minute. */
  retryBaseSeconds?: number
  /**
   * Runs after an event's effects are committed (e.g. delivering a notification), given their
   * results in the order the handler returned them: what they wrote, if it depends on the
   * database (a trigger or a conflict may skip a row).
   */
  afterCommit?: (event: CloudEvent, results: D1Result[]) => Promise<void>
}

/** The first retry's delay, doubled per attempt, when RETRY_BASE_SECONDS is not set. */
export const DEFAULT_RETRY_BASE_SECONDS = 2

/** A consumer's RETRY_BASE_SECONDS var (part of its Worker's config): a positive number of seconds. */
export const RETRY_VARS = { RETRY_BASE_SECONDS: positiveNumberVar(DEFAULT_RETRY_BASE_SECONDS) }

export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  return Math.min(60, Math.round(baseSeconds * 2 ** Math.max(0, attempts - 1)))
}

/** An event whose effects were applied now, with their results. */
interface Applied {
  event: CloudEvent
  results: D1Result[]
}

/** Handles one message; the event if its effects were applied now (null: a duplicate or not subscribed). */
function handle(body: unknown, options: ConsumerOptions): Promise<Applied | null> {
  return traceMessage(options.service, body, () => apply(body, options))
}

/**
 * The inbox decides, not a read before the write: the event's effects are written in one batch
 * with its inbox row, and a duplicate's batch fails on that row's key and writes nothing. The
 * inbox is read only when the handler or the batch failed: an event already there is a
 * duplicate (redelivered, or a concurrent delivery won), acked without effect. Handlers build
 * statements (reading what they need) and change nothing themselves, so a duplicate that runs
 * its handler again is harmless; the common case, a new event, costs no read of the inbox.
 */
async function apply(body: unknown, options: ConsumerOptions): Promise<Applied | null> {
  const parsed = parse(body, options)
  if (!parsed) return null
  const { event, handler } = parsed
  try {
    const [, ...results] = await options.db.batch([inboxInsert(options.db, event, new Date().toISOString()), ...(await handler(event))])
    return { event, results }
  } catch (error) {
    if ((await seenEvents(options.db, [event])).size > 0) return null
    throw error
  }
}

/**
 * An idempotent queue consumer. Each message is parsed with the contract schemas, deduplicated
 * on (source, id) through the inbox, its effects written in one batch with its inbox row, and
 * acked on its own. A failure retries that message alone with exponential backoff; after the
 * queue's max_retries it goes to the dead-letter queue.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, options: ConsumerOptions): Promise<void> {
  const base = options.retryBaseSeconds ?? DEFAULT_RETRY_BASE_SECONDS
  const log = createLogger(options.service)
  for (const message of batch.messages) {
    // A message is its own unit of work: its log lines carry its id as their request id.
    await withRequestContext({ requestId: message.id }, () => consumeOne(message, options, base, log))
  }
}

async function consumeOne(message: Message<unknown>, options: ConsumerOptions, base: number, log: Logger): Promise<void> {
  try {
    const applied = await handle(message.body, options)
    if (applied && options.afterCommit) await options.afterCommit(applied.event, applied.results)
    message.ack()
  } catch (error) {
    const delaySeconds = retryDelaySeconds(message.attempts, base)
    log.error('event handling failed; retrying', { message_id: message.id, attempts: message.attempts, delay_seconds: delaySeconds, error })
    markActiveSpanFailed(error)
    message.retry({ delaySeconds })
  }
}

/** Inbox lookups per statement: two bound values each, well under D1's 100 per statement. */
const SEEN_CHUNK = 40

interface Pending {
  message: Message<unknown>
  event: CloudEvent
  effects: Effects
}

/**
 * A consumer for projections whose effects do not depend on order (versioned upserts): a whole
 * queue batch is written in one D1 batch — every new event's inbox row and effects — instead of
 * two round trips per message. Duplicates, inside the batch or already in the inbox, are acked
 * without effect. If the batch write fails (a concurrent delivery, a bad statement), each of its
 * messages is handled alone as `consumeEvents` does, so one poisoned message retries on its own
 * and the others still land. `afterCommit` is not offered: a projection has no side effects.
 */
export async function consumeEventBatch(batch: MessageBatch<unknown>, options: Omit<ConsumerOptions, 'afterCommit'>): Promise<void> {
  const base = options.retryBaseSeconds ?? DEFAULT_RETRY_BASE_SECONDS
  const log = createLogger(options.service)
  const pending: Pending[] = []
  const alone: Message<unknown>[] = []
  const inBatch = new Set<string>()
  for (const message of batch.messages) {
    await withRequestContext({ requestId: message.id }, async () => {
      try {
        const prepared = await traceMessage(options.service, message.body, () => prepare(message.body, options))
        if (!prepared) return message.ack()
        const key = inboxKey(prepared.event)
        if (inBatch.has(key)) return message.ack() // the same event twice in one batch
        inBatch.add(key)
        pending.push({ message, ...prepared })
      } catch {
        alone.push(message) // unparseable or its handler failed: retried on its own below
      }
    })
  }
  const seen = await seenEvents(
    options.db,
    pending.map(({ event }) => event),
  )
  const fresh: Pending[] = []
  for (const entry of pending) {
    if (seen.has(inboxKey(entry.event))) entry.message.ack()
    else fresh.push(entry)
  }
  if (fresh.length > 0) {
    try {
      const processedAt = new Date().toISOString()
      // The one write of the whole batch: a CONSUMER span of its own, linked to each message's producer.
      await withSpan(
        'process batch',
        {
          kind: SpanKind.CONSUMER,
          links: fresh.map(({ event }) => event.traceparent),
          attributes: {
            'messaging.system': 'cloudflare_queues',
            'messaging.operation.type': 'process',
            'messaging.operation.name': 'process',
            'messaging.consumer.group.name': options.service,
            'messaging.batch.message_count': fresh.length,
          },
        },
        () => options.db.batch(fresh.flatMap(({ event, effects }) => [inboxInsert(options.db, event, processedAt), ...effects])),
      )
      for (const { message } of fresh) message.ack()
    } catch (error) {
      log.warn('batch write failed; handling its messages one by one', { messages: fresh.length, error })
      alone.push(...fresh.map(({ message }) => message))
    }
  }
  for (const message of alone) await withRequestContext({ requestId: message.id }, () => consumeOne(message, options, base, log))
}

/** Parses a message with the contract schemas; null when this consumer does not subscribe to its type. */
function parse(
  body: unknown,
  options: Pick<ConsumerOptions, 'handlers'>,
): { event: CloudEvent; handler: (event: CloudEvent) => Promise<Effects> } | null {
  const envelope = CloudEventSchema.parse(body)
  const handler = options.handlers[envelope.type as EventType] as ((event: CloudEvent) => Promise<Effects>) | undefined
  if (!handler) return null
  return { event: { ...envelope, data: EVENT_SCHEMAS[envelope.type as EventType].parse(envelope.data) }, handler }
}

/** Parses a message and builds its effects (the batch consumer: its handlers only build statements). */
async function prepare(body: unknown, options: Pick<ConsumerOptions, 'handlers'>): Promise<{ event: CloudEvent; effects: Effects } | null> {
  const parsed = parse(body, options)
  return parsed && { event: parsed.event, effects: await parsed.handler(parsed.event) }
}

const inboxKey = ({ source, id }: { source: string; id: string }) => `${source}\u0000${id}`

function inboxInsert(db: D1Database, event: CloudEvent, processedAt: string): D1PreparedStatement {
  return db
    .prepare('INSERT INTO inbox (source, id, type, processed_at) VALUES (?1, ?2, ?3, ?4)')
    .bind(event.source, event.id, event.type, processedAt)
}

/** Which of these events the inbox already holds, in a few statements. */
async function seenEvents(db: D1Database, events: CloudEvent[]): Promise<Set<string>> {
  const seen = new Set<string>()
  for (let start = 0; start < events.length; start += SEEN_CHUNK) {
    const chunk = events.slice(start, start + SEEN_CHUNK)
    const rows = await db
      .prepare(
        `SELECT source, id FROM inbox WHERE (source, id) IN (VALUES ${chunk.map((_, i) => `(?${2 * i + 1}, ?${2 * i + 2})`).join(', ')})`,
      )
      .bind(...chunk.flatMap((event) => [event.source, event.id]))
      .all<{ source: string; id: string }>()
    for (const row of rows.results) seen.add(inboxKey(row))
  }
  return seen
}
