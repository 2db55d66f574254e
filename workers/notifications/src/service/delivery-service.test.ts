import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { DeliveryOutcome, NotificationDelivery } from '../delivery/delivery'
import { consumeNotificationEvents } from '../events/queue'
import { createNotificationsRepo } from '../repo/notifications-repo'
import { backgroundServices } from '../services'
import {
  callNotifications,
  customer,
  EVENTS_QUEUE,
  listNotifications,
  orderEvent,
  testEnv,
  userRegistered,
} from '../../../../test/support/notifications'
import { EVENT_TYPES } from '../../../../shared-contracts/events'
import { recordErasure } from '../../../../platform/privacy/erasures'
import { createLogger } from '../../../../platform/telemetry/log'
import { createDeliveryService, MAX_DELIVERY_ATTEMPTS } from './delivery-service'
import type { NotificationRecord } from './notification'

const repo = createNotificationsRepo(testEnv.DB)
const MINUTE = 60_000

/** An adapter (the delivery port, not the platform) that answers as told and counts its calls. */
function scriptedDelivery(answer: () => DeliveryOutcome) {
  const calls: NotificationRecord[] = []
  const delivery: NotificationDelivery = {
    name: 'scripted',
    async deliver(notification) {
      calls.push(notification)
      return answer()
    },
  }
  return { delivery, calls }
}
const failing = () => scriptedDelivery(() => ({ delivered: false, reason: 'http_503' }))
const working = () => scriptedDelivery(() => ({ delivered: true }))

/** A clock the test moves. */
function clock(start = new Date()) {
  let current = start.getTime()
  return { now: () => new Date(current), advance: (ms: number) => (current += ms) }
}

const quiet = createLogger('notifications', { sink: () => undefined })

/** Consumes one event with the given adapter, as the queue handler would. */
async function consumeWith(delivery: NotificationDelivery, event: ReturnType<typeof userRegistered>, now: () => Date) {
  const base = backgroundServices(testEnv, now)
  const services = { ...base, delivery: createDeliveryService({ repo: base.repo, delivery, now, log: quiet }) }
  const batch = createMessageBatch(EVENTS_QUEUE, [{ id: `msg-${event.id}`, timestamp: new Date(), attempts: 1, body: event }])
  const ctx = createExecutionContext()
  await consumeNotificationEvents(batch, testEnv.DB, services)
  return getQueueResult(batch, ctx)
}

describe('delivery', () => {
  it('keeps a notification whose delivery failed, marks it failed, and still acks the event', async () => {
    const user = customer()
    const event = userRegistered({ user_id: user.id })
    const { delivery, calls } = failing()
    const result = await consumeWith(delivery, event, () => new Date())
    expect(result.explicitAcks).toEqual([`msg-${event.id}`])
    expect(result.retryMessages).toEqual([])
    expect(calls).toHaveLength(1)
    expect(await repo.findByEvent(event.source, event.id)).toMatchObject({ delivery_status: 'failed', delivery_attempts: 1 })
    expect((await listNotifications(user)).items).toHaveLength(1)
  })

  it('treats an adapter that throws like a failed delivery', async () => {
    const event = userRegistered()
    const throwing: NotificationDelivery = {
      name: 'throwing',
      deliver: async () => {
        throw new Error('adapter bug')
      },
    }
    await consumeWith(throwing, event, () => new Date())
    expect(await repo.findByEvent(event.source, event.id)).toMatchObject({ delivery_status: 'failed', delivery_attempts: 1 })
  })

  it('retries a failed delivery only once its last attempt is over a minute old', async () => {
    const time = clock()
    const event = userRegistered()
    await consumeWith(failing().delivery, event, time.now)

    const { delivery, calls } = working()
    const sweep = createDeliveryService({ repo, delivery, now: time.now, log: quiet })
    time.advance(MINUTE - 1_000)
    await sweep.retryDue()
    expect(calls.map((call) => call.id)).not.toContain((await repo.findByEvent(event.source, event.id))!.id)

    time.advance(2_000)
    await sweep.retryDue()
    const stored = await repo.findByEvent(event.source, event.id)
    expect(calls.map((call) => call.id)).toContain(stored!.id)
    expect(stored).toMatchObject({ delivery_status: 'delivered', delivery_attempts: 2 })
  })

  it('gives up after a bounded number of attempts, leaving the notification failed', async () => {
    const time = clock(new Date(Date.now() + 24 * 60 * MINUTE)) // ahead of other tests' rows: the sweep is global
    const event = userRegistered()
    const { delivery, calls } = failing()
    await consumeWith(delivery, event, time.now)
    const sweep = createDeliveryService({ repo, delivery, now: time.now, log: quiet })
    for (let round = 0; round < MAX_DELIVERY_ATTEMPTS + 3; round++) {
      time.advance(2 * MINUTE)
      await sweep.retryDue(1_000)
    }
    const stored = (await repo.findByEvent(event.source, event.id))!
    expect(stored).toMatchObject({ delivery_status: 'failed', delivery_attempts: MAX_DELIVERY_ATTEMPTS })
    expect(calls.filter((call) => call.id === stored.id)).toHaveLength(MAX_DELIVERY_ATTEMPTS)
  })

  it('delivers a notification once when its event comes again after the inbox forgot it, and resumes one that failed', async () => {
    const time = clock()
    const forget = (event: ReturnType<typeof userRegistered>) =>
      testEnv.DB.prepare('DELETE FROM inbox WHERE source = ?1 AND id = ?2').bind(event.source, event.id).run()
    const delivered = userRegistered()
    const ok = working()
    await consumeWith(ok.delivery, delivered, time.now)
    await forget(delivered)
    await consumeWith(ok.delivery, delivered, time.now)
    expect(ok.calls).toHaveLength(1)
    expect(await repo.findByEvent(delivered.source, delivered.id)).toMatchObject({ delivery_status: 'delivered', delivery_attempts: 1 })

    const failed = userRegistered()
    await consumeWith(failing().delivery, failed, time.now)
    await forget(failed)
    const retried = working()
    await consumeWith(retried.delivery, failed, time.now)
    const stored = (await repo.findByEvent(failed.source, failed.id))!
    expect(retried.calls.map((call) => call.id)).toEqual([stored.id])
    expect(stored).toMatchObject({ delivery_status: 'delivered', delivery_attempts: 2 })
  })

  it('sends nothing to a user erased between the event’s read and its write (the table’s trigger drops the row)', async () => {
    const user = customer()
    const time = clock()
    await consumeWith(working().delivery, userRegistered({ user_id: user.id }), time.now)
    // A stand-in for a concurrent user.deleted: it lands right after the handler's read.
    let erased = false
    const erasingAfterRead = new Proxy(testEnv.DB, {
      get(target, prop) {
        if (prop !== 'batch') return Reflect.get(target, prop, target)
        return async (statements: D1PreparedStatement[]) => {
          const results = await target.batch(statements)
          if (!erased) {
            erased = true
            await recordErasure(target, user.id, time.now().toISOString()).run()
          }
          return results
        }
      },
    })
    const { delivery, calls } = working()
    const base = backgroundServices(testEnv, time.now)
    const services = { ...base, db: erasingAfterRead, delivery: createDeliveryService({ repo, delivery, now: time.now, log: quiet }) }
    const event = orderEvent(EVENT_TYPES.orderConfirmed, { user_id: user.id })
    const batch = createMessageBatch(EVENTS_QUEUE, [{ id: `msg-${event.id}`, timestamp: new Date(), attempts: 1, body: event }])
    await consumeNotificationEvents(batch, testEnv.DB, services)
    expect(erased).toBe(true)
    expect(calls).toEqual([])
    expect(await repo.findByEvent(event.source, event.id)).toBeNull()
  })

  it('finishes an attempt that never reported back (a crash mid-delivery)', async () => {
    const time = clock()
    const event = userRegistered()
    await consumeWith(working().delivery, userRegistered(), time.now) // unrelated, delivered
    const sweep = createDeliveryService({ repo, delivery: working().delivery, now: time.now, log: quiet })
    // Recorded with its first attempt claimed, then nothing: the isolate died before the attempt.
    const base = backgroundServices(testEnv, time.now)
    const never = async () => ({ attempted: 0, delivered: 0 })
    const stalled = { ...base, delivery: { deliverRecorded: never, deliverForEvent: never, retryDue: sweep.retryDue } }
    const batch = createMessageBatch(EVENTS_QUEUE, [{ id: `msg-${event.id}`, timestamp: new Date(), attempts: 1, body: event }])
    await consumeNotificationEvents(batch, testEnv.DB, stalled)
    expect(await repo.findByEvent(event.source, event.id)).toMatchObject({ delivery_status: 'pending', delivery_attempts: 1 })

    time.advance(MINUTE + 1_000)
    await sweep.retryDue(1_000)
    expect(await repo.findByEvent(event.source, event.id)).toMatchObject({ delivery_status: 'delivered', delivery_attempts: 2 })
  })

  it('records a webhook that cannot be reached as a failed delivery (the webhook adapter in workerd)', async () => {
    const user = customer()
    const event = userRegistered({ user_id: user.id })
    // Port 1 on loopback: nothing listens, the connection is refused at once (workerd logs the refusal itself).
    const services = backgroundServices({
      ...testEnv,
      NOTIFICATION_WEBHOOK_URL: 'http://127.0.0.1:1/hook',
      NOTIFICATION_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    })
    const batch = createMessageBatch(EVENTS_QUEUE, [{ id: `msg-${event.id}`, timestamp: new Date(), attempts: 1, body: event }])
    const ctx = createExecutionContext()
    await consumeNotificationEvents(batch, testEnv.DB, services)
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`msg-${event.id}`])
    expect(await repo.findByEvent(event.source, event.id)).toMatchObject({ delivery_status: 'failed', delivery_attempts: 1 })
    const row = await testEnv.DB.prepare('SELECT last_delivery_error FROM notifications WHERE event_id = ?1')
      .bind(event.id)
      .first<{ last_delivery_error: string }>()
    expect(row?.last_delivery_error).toBe('network_error')
    expect((await listNotifications(user)).items).toHaveLength(1)
  })

  it('is retried by the sweep the gateway asks for', async () => {
    const event = userRegistered()
    await consumeWith(failing().delivery, event, () => new Date())
    // Arrange: its only attempt was two minutes ago.
    const twoMinutesAgo = new Date(Date.now() - 2 * MINUTE).toISOString()
    await testEnv.DB.prepare('UPDATE notifications SET last_attempt_at = ?1 WHERE event_id = ?2').bind(twoMinutesAgo, event.id).run()

    const swept = await callNotifications('/internal/sweep', { method: 'POST' })
    expect(swept.status).toBe(200)
    expect(await swept.json()).toMatchObject({ deliveries_attempted: expect.any(Number), deliveries_delivered: expect.any(Number) })
    expect(await repo.findByEvent(event.source, event.id)).toMatchObject({ delivery_status: 'delivered', delivery_attempts: 2 })
  })
})
