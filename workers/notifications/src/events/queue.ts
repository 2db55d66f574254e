import { consumeEvents } from '../../../../platform/events/consumer'
import { storeDeadLetters } from '../../../../platform/events/dead-letters'
import { createLogger } from '../../../../platform/telemetry/log'
import type { BackgroundServices } from '../services'
import { notificationHandlers, type FirstDelivery } from './handlers'
import type { CloudEvent } from '../../../../shared-contracts/events'

const log = createLogger('notifications')

/** The queues this Worker consumes (wrangler.toml): its events, and their dead letters. */
export const EVENTS_QUEUE = 'notifications-events'
export const DEAD_LETTER_QUEUE = 'notifications-events-dlq'

/**
 * Domain events become notifications: recorded first (with the inbox row, in one batch), then
 * delivered. A failed delivery leaves the notification `failed` for the scheduled sweep; it never
 * sends the event back round the queue.
 */
export async function consumeNotificationEvents(batch: MessageBatch<unknown>, db: D1Database, services: BackgroundServices): Promise<void> {
  // What each event's handler recorded, by event: its first attempt follows its batch at once.
  const deliveries = new Map<string, FirstDelivery>()
  const key = (event: CloudEvent) => JSON.stringify([event.source, event.id])
  await consumeEvents(batch, {
    service: 'notifications',
    db,
    handlers: notificationHandlers({ ...services, onDelivery: (event, delivery) => deliveries.set(key(event), delivery) }),
    retryBaseSeconds: services.retryBaseSeconds,
    afterCommit: async (event, results) => {
      const delivery = deliveries.get(key(event))
      if (!delivery) return // nothing to tell: an erased user, an event that only carries a contact
      // The notification's insert is the last effect: it returns a row only if it wrote one (a user
      // erased meanwhile is caught by the table's trigger, and gets nothing).
      if ('notification' in delivery && (results.at(-1)?.results.length ?? 0) === 0) return
      try {
        await ('notification' in delivery
          ? services.delivery.deliverRecorded(delivery.notification)
          : services.delivery.deliverForEvent(event))
      } catch (error) {
        // Recorded and pending: the sweep delivers it. Retrying the message would be a no-op (inbox).
        log.error('first delivery attempt failed; left to the sweep', { event_id: event.id, error })
      }
    },
  })
}

/** Dispatches a batch by the queue it came from. */
export async function handleQueue(batch: MessageBatch<unknown>, db: D1Database, services: () => BackgroundServices): Promise<void> {
  switch (batch.queue) {
    case EVENTS_QUEUE:
      return consumeNotificationEvents(batch, db, services())
    case DEAD_LETTER_QUEUE:
      return storeDeadLetters(batch, db)
    default:
      throw new Error(`notifications has no consumer for queue ${batch.queue}`)
  }
}
