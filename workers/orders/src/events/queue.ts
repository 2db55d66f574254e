import { consumeEventBatch, type EventHandlers } from '../../../../platform/events/consumer'
import { storeDeadLetters } from '../../../../platform/events/dead-letters'
import { EVENT_TYPES, type CloudEvent, type EventData } from '../../../../shared-contracts/events'
import { eraseUserStatements } from './user-deleted'
import { ordersConfig } from '../config'
import type { Env } from '../env'
import { createViewsRepo } from '../repo/views-repo'

/** The queues this Worker consumes (wrangler.toml): its own events, and their dead letters. */
export const EVENTS_QUEUE = 'orders-events'
export const DEAD_LETTER_QUEUE = 'orders-events-dlq'

type Snapshot = EventData<typeof EVENT_TYPES.orderPlaced>

/** The read model: every order event upserts its snapshot; the highest version wins. A deleted user leaves their orders anonymous. */
export function readModelHandlers(db: D1Database): EventHandlers {
  const views = createViewsRepo(db)
  const upsert = async (event: CloudEvent<Snapshot>) => [views.upsertStatement(event.data)]
  return {
    [EVENT_TYPES.orderPlaced]: upsert,
    [EVENT_TYPES.orderConfirmed]: upsert,
    [EVENT_TYPES.orderCancelled]: upsert,
    [EVENT_TYPES.userDeleted]: async (event) => eraseUserStatements(db, event.data.user_id, new Date().toISOString()),
  }
}

/** Dispatches a batch by the queue it came from. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // A bad var throws here, before any message is acked: the whole batch is retried.
  const config = ordersConfig(env)
  switch (batch.queue) {
    case EVENTS_QUEUE:
      // One D1 batch per queue batch: the snapshots are versioned, so their order does not matter.
      return consumeEventBatch(batch, {
        service: 'orders',
        db: env.DB,
        handlers: readModelHandlers(env.DB),
        retryBaseSeconds: config.retryBaseSeconds,
      })
    case DEAD_LETTER_QUEUE:
      return storeDeadLetters(batch, env.DB)
    default:
      throw new Error(`orders has no consumer for queue ${batch.queue}`)
  }
}
