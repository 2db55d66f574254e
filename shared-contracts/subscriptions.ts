import { EVENT_TYPES, type EventType } from './events'

/**
 * Fan-out: a Cloudflare Queue has one consumer, so every subscribing service has its own queue
 * (`<service>-events`, dead letters in `<service>-events-dlq`), and this table says which event
 * types go to which. The outbox relay of every producer publishes by it. Inventory's product and
 * stock events and payments' events have no subscriber today (docs/adr/0060): they are written to the
 * outbox as sent and stay there for replay (docs/adr/0065).
 */
export const SUBSCRIPTIONS = {
  notifications: [EVENT_TYPES.userRegistered, EVENT_TYPES.orderConfirmed, EVENT_TYPES.orderCancelled, EVENT_TYPES.userDeleted],
  orders: [EVENT_TYPES.orderPlaced, EVENT_TYPES.orderConfirmed, EVENT_TYPES.orderCancelled, EVENT_TYPES.userDeleted],
  // Account deletion: its payment records lose the user's id (docs/adr/0028).
  payments: [EVENT_TYPES.userDeleted],
} as const satisfies Record<string, readonly EventType[]>

export type Subscriber = keyof typeof SUBSCRIPTIONS
export const SUBSCRIBERS = Object.keys(SUBSCRIPTIONS) as Subscriber[]

/** The services an event of this type must reach. */
export function subscribersOf(type: string): Subscriber[] {
  return SUBSCRIBERS.filter((subscriber) => (SUBSCRIPTIONS[subscriber] as readonly string[]).includes(type))
}

/** The producer binding through which a service sends to a subscriber's queue. */
export function queueBindingFor(subscriber: Subscriber): string {
  return `EVENTS_${subscriber.toUpperCase()}`
}
