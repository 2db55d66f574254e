import { createExecutionContext, createMessageBatch, getQueueResult, type QueueResult } from 'cloudflare:test'
import type { Principal } from '../../platform/auth/principal'
import { createEvent } from '../../platform/events/envelope'
import { EVENT_TYPES, type CloudEvent, type EventData } from '../../shared-contracts/events'
import type { Page } from '../../shared-contracts/pagination'
import type { Env } from '../../workers/notifications/src/env'
import type { PublicNotification } from '../../workers/notifications/src/service/notification'
import worker from '../../workers/notifications/src/index'
import { newUserId, serviceClient, uniqueId, type CallOptions } from './service-client'

export { admin, customer, newUserId, readProblem } from './service-client'

/** The Worker's handlers, as the runtime calls them. */
export const handlers: ExportedHandler<Env> = worker

const notifications = serviceClient<Env>('notifications')

/** The notifications Worker's own bindings plus those the test configuration adds (vitest.config.ts). */
export const testEnv = notifications.env

/** Calls the notifications Worker as the gateway would (./service-client). */
export const callNotifications = (path: string, options?: CallOptions) => notifications.call(path, options)

/** Lists the caller's notifications; throws unless it answers 200. */
export async function listNotifications(principal: Principal, query = ''): Promise<Page<PublicNotification>> {
  const response = await callNotifications(`/api/v1/notifications${query}`, { principal })
  if (response.status !== 200) throw new Error(`list answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as Page<PublicNotification>
}

type Registered = EventData<typeof EVENT_TYPES.userRegistered>

/** A real user.registered CloudEvent, as users publishes it. */
export function userRegistered(data: Partial<Registered> = {}, now?: Date): CloudEvent<Registered> {
  const user_id = data.user_id ?? newUserId()
  return createEvent({
    service: 'users',
    type: EVENT_TYPES.userRegistered,
    subject: user_id,
    data: { user_id, email: data.email ?? `${user_id}@example.com`, name: data.name ?? 'Ada' },
    ...(now ? { now } : {}),
  })
}

type OrderSnapshot = EventData<typeof EVENT_TYPES.orderConfirmed>
type OrderOutcome = typeof EVENT_TYPES.orderConfirmed | typeof EVENT_TYPES.orderCancelled

/** A real order.confirmed or order.cancelled CloudEvent, as orders publishes it: the whole order after the change. */
export function orderEvent(type: OrderOutcome, data: Partial<OrderSnapshot> & { user_id: string }, now?: Date): CloudEvent<OrderSnapshot> {
  const order_id = data.order_id ?? uniqueId('ord')
  const cancelled = type === EVENT_TYPES.orderCancelled
  const at = (now ?? new Date()).toISOString()
  return createEvent({
    service: 'orders',
    type,
    subject: order_id,
    data: {
      order_id,
      status: cancelled ? 'cancelled' : 'confirmed',
      items: [{ product_id: 'prd_lamp', quantity: 2, unit_price_cents: 1250 }],
      total_cents: 2500,
      currency: 'EUR',
      cancellation_reason: cancelled ? 'out_of_stock' : null,
      created_at: at,
      updated_at: at,
      version: 2,
      ...data,
    },
    ...(now ? { now } : {}),
  })
}

export const EVENTS_QUEUE = 'notifications-events'
export const DEAD_LETTER_QUEUE = 'notifications-events-dlq'

export interface TestMessage {
  body: unknown
  /** Delivery attempt, from 1. */
  attempts?: number
  id?: string
}

/**
 * The plugin's test batch (1.5.0) records that a message was retried but drops the options of
 * `retry({ delaySeconds })`. The handler gets the test batch through this thin layer, which
 * writes down each delay and passes every call on unchanged.
 */
function recordingDelays(batch: MessageBatch<unknown>, delays: Map<string, number | undefined>): MessageBatch<unknown> {
  const messages = batch.messages.map((message) => ({
    id: message.id,
    timestamp: message.timestamp,
    body: message.body,
    attempts: message.attempts,
    ack: () => message.ack(),
    retry: (options?: QueueRetryOptions) => {
      delays.set(message.id, options?.delaySeconds)
      message.retry(options)
    },
  }))
  return {
    queue: batch.queue,
    metadata: batch.metadata,
    messages,
    ackAll: () => batch.ackAll(),
    retryAll: (options?: QueueRetryOptions) => batch.retryAll(options),
  }
}

/** Hands a batch to the Worker's queue handler, as the Queues runtime would, and reports what it acked and retried (with delays). */
export async function deliver(queue: string, messages: TestMessage[]): Promise<{ result: QueueResult; ids: string[] }> {
  const ids = messages.map((message) => message.id ?? `msg-${crypto.randomUUID()}`)
  const batch = createMessageBatch(
    queue,
    messages.map((message, index) => ({ id: ids[index]!, timestamp: new Date(), attempts: message.attempts ?? 1, body: message.body })),
  )
  const ctx = createExecutionContext()
  const delays = new Map<string, number | undefined>()
  await handlers.queue!(recordingDelays(batch, delays), testEnv, ctx)
  const result = await getQueueResult(batch, ctx)
  return {
    result: { ...result, retryMessages: result.retryMessages.map(({ msgId }) => ({ msgId, delaySeconds: delays.get(msgId) })) },
    ids,
  }
}

/** Delivers message bodies (first attempts) to the events queue. */
export const deliverEvents = (...bodies: unknown[]) =>
  deliver(
    EVENTS_QUEUE,
    bodies.map((body) => ({ body })),
  )

/** Fisher–Yates with a seeded generator: a shuffled order a failing test can reproduce. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0 || 1
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}
