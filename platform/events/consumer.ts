import { CloudEventSchema, EVENT_SCHEMAS, type CloudEvent, type EventData, type EventType } from '../../shared-contracts/events'
import { traceMessage } from './trace-message'
import { createLogger, type Logger } from '../telemetry/log'
import { withRequestContext } from '../telemetry/request-context'
import { isUniqueViolation } from '../db/sql-errors'

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
  /** Runs after an event's effects are committed (e.g. delivering a notification). */
  afterCommit?: (event: CloudEvent) => Promise<void>
}

/** A consumer's RETRY_BASE_SECONDS var: a positive number, 2 when unset; anything else is a configuration bug. */
export function retryBaseSeconds(env: { RETRY_BASE_SECONDS?: string }): number {
  const raw = env.RETRY_BASE_SECONDS?.trim()
  if (!raw) return 2
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new Error('RETRY_BASE_SECONDS must be a positive number of seconds')
  return value
}

export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  return Math.min(60, Math.round(baseSeconds * 2 ** Math.max(0, attempts - 1)))
}

/** Handles one message; true if its effects were applied now (false: a duplicate or not subscribed). */
function handle(body: unknown, options: ConsumerOptions): Promise<CloudEvent | null> {
  return traceMessage(options.service, body, () => apply(body, options))
}

async function apply(body: unknown, options: ConsumerOptions): Promise<CloudEvent | null> {
  const envelope = CloudEventSchema.parse(body)
  const handler = options.handlers[envelope.type as EventType] as ((event: CloudEvent) => Promise<Effects>) | undefined
  if (!handler) return null
  const data = EVENT_SCHEMAS[envelope.type as EventType].parse(envelope.data)
  const event = { ...envelope, data }
  const seen = await options.db.prepare('SELECT 1 FROM inbox WHERE source = ?1 AND id = ?2').bind(event.source, event.id).first()
  if (seen) return null
  const inboxRow = options.db
    .prepare('INSERT INTO inbox (source, id, type, processed_at) VALUES (?1, ?2, ?3, ?4)')
    .bind(event.source, event.id, event.type, new Date().toISOString())
  try {
    await options.db.batch([inboxRow, ...(await handler(event))])
  } catch (error) {
    if (isUniqueViolation(error) && (await options.db.prepare('SELECT 1 FROM inbox WHERE source = ?1 AND id = ?2').bind(event.source, event.id).first())) {
      return null // a concurrent delivery of the same event won the race
    }
    throw error
  }
  return event
}

/**
 * An idempotent queue consumer. Each message is parsed with the contract schemas, deduplicated
 * on (source, id) through the inbox, its effects written in one batch with its inbox row, and
 * acked on its own. A failure retries that message alone with exponential backoff; after the
 * queue's max_retries it goes to the dead-letter queue.
 */
export async function consumeEvents(batch: MessageBatch<unknown>, options: ConsumerOptions): Promise<void> {
  const base = options.retryBaseSeconds ?? 2
  const log = createLogger(options.service)
  for (const message of batch.messages) {
    // A message is its own unit of work: its log lines carry its id as their request id.
    await withRequestContext({ requestId: message.id }, () => consumeOne(message, options, base, log))
  }
}

async function consumeOne(message: Message<unknown>, options: ConsumerOptions, base: number, log: Logger): Promise<void> {
  try {
    const applied = await handle(message.body, options)
    if (applied && options.afterCommit) await options.afterCommit(applied)
    message.ack()
  } catch (error) {
    const delaySeconds = retryDelaySeconds(message.attempts, base)
    log.error('event handling failed; retrying', { message_id: message.id, attempts: message.attempts, delay_seconds: delaySeconds, error })
    message.retry({ delaySeconds })
  }
}
