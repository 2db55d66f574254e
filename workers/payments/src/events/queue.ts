import { consumeEvents } from '../../../../platform/events/consumer'
import { storeDeadLetters } from '../../../../platform/events/dead-letters'
import { pseudonymiseRows, pseudonymiseStoredEvents, recordErasure } from '../../../../platform/privacy/erasures'
import { EVENT_TYPES } from '../../../../shared-contracts/events'
import { paymentsConfig } from '../config'
import type { Env } from '../env'

/** The queues this Worker consumes (wrangler.toml): its events, and their dead letters. */
export const EVENTS_QUEUE = 'payments-events'
export const DEAD_LETTER_QUEUE = 'payments-events-dlq'

/**
 * user.deleted: the payments stay (accounting needs every amount and outcome) without the user:
 * their id becomes the shared tombstone. A charge the saga makes later is anonymised as it is
 * written (a trigger in the migrations).
 */
function eraseUser(db: D1Database, userId: string, at: string): D1PreparedStatement[] {
  return [recordErasure(db, userId, at), pseudonymiseRows(db, 'payments', userId), ...pseudonymiseStoredEvents(db, userId)]
}

/** Dispatches a batch by the queue it came from. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // A bad var throws here, before any message is acked: the whole batch is retried.
  const config = paymentsConfig(env)
  switch (batch.queue) {
    case EVENTS_QUEUE:
      return consumeEvents(batch, {
        service: 'payments',
        db: env.DB,
        handlers: { [EVENT_TYPES.userDeleted]: async (event) => eraseUser(env.DB, event.data.user_id, new Date().toISOString()) },
        retryBaseSeconds: config.retryBaseSeconds,
      })
    case DEAD_LETTER_QUEUE:
      return storeDeadLetters(batch, env.DB)
    default:
      throw new Error(`payments has no consumer for queue ${batch.queue}`)
  }
}
