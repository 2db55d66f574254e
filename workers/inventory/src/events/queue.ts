import { consumeEvents } from '../../../../platform/events/consumer'
import { storeDeadLetters } from '../../../../platform/events/dead-letters'
import { inventoryConfig } from '../config'
import type { Env } from '../env'
import { ownEventHandlers } from './own-events'

/** The queues this Worker consumes (wrangler.toml): its own events, and their dead letters. */
export const EVENTS_QUEUE = 'inventory-events'
export const DEAD_LETTER_QUEUE = 'inventory-events-dlq'

/** Dispatches a batch by the queue it came from. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // A bad var throws here, before any message is acked: the whole batch is retried.
  const config = inventoryConfig(env)
  switch (batch.queue) {
    case EVENTS_QUEUE:
      return consumeEvents(batch, {
        service: 'inventory',
        db: env.DB,
        handlers: ownEventHandlers(),
        retryBaseSeconds: config.retryBaseSeconds,
      })
    case DEAD_LETTER_QUEUE:
      return storeDeadLetters(batch, env.DB)
    default:
      throw new Error(`inventory has no consumer for queue ${batch.queue}`)
  }
}
