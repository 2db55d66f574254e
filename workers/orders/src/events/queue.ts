import { consumeEventBatch, type EventHandlers } from '../../../../platform/events/consumer'
import { storeDeadLetters } from '../../../../platform/events/dead-letters'
import { EVENT_TYPES, type CloudEvent, type EventData } from '../../../../shared-contracts/events'
import { eraseUserStatements } from './user-deleted'
import { ordersConfig } from '../config'
import type { Env } from '../env'
import { createViewsRepo } from '../repo/views-repo'
import { shardIndex, shardsOf } from '../../../../platform/db/shards'

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

/** The user an event is about (every event this queue carries names one), or null. */
function userOf(body: unknown): string | null {
  const id = (body as { data?: { user_id?: unknown } } | null)?.data?.user_id
  return typeof id === 'string' ? id : null
}

/**
 * The read model, shard by shard (docs/adr/0067): each message goes to its user's shard, and each
 * shard's messages are written in one D1 batch. A message that names no user goes to shard 0,
 * whose consumer refuses it as it would anywhere.
 */
async function consumeByShard(batch: MessageBatch<unknown>, env: Env, retryBaseSeconds: number): Promise<void> {
  const shards = shardsOf(env)
  const parts = shards.map(() => [] as Message<unknown>[])
  for (const message of batch.messages) {
    const user = userOf(message.body)
    parts[user === null ? 0 : shardIndex(user, shards.length)]!.push(message)
  }
  await Promise.all(
    parts.flatMap((messages, index) =>
      messages.length === 0
        ? []
        : [
            consumeEventBatch(
              { ...batch, messages },
              { service: 'orders', db: shards[index]!, handlers: readModelHandlers(shards[index]!), retryBaseSeconds },
            ),
          ],
    ),
  )
}

/** Dispatches a batch by the queue it came from. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // A bad var throws here, before any message is acked: the whole batch is retried.
  const config = ordersConfig(env)
  switch (batch.queue) {
    case EVENTS_QUEUE:
      // One D1 batch per shard of a queue batch: the snapshots are versioned, so their order does not matter.
      return consumeByShard(batch, env, config.retryBaseSeconds)
    case DEAD_LETTER_QUEUE:
      // Dead letters are kept on shard 0, where the admin API lists them.
      return storeDeadLetters(batch, env.DB)
    default:
      throw new Error(`orders has no consumer for queue ${batch.queue}`)
  }
}
