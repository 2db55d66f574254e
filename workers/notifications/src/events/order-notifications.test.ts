import { describe, expect, it } from 'vitest'
import { EVENT_TYPES } from '../../../../shared-contracts/events'
import { createContactsRepo } from '../repo/contacts-repo'
import { createNotificationsRepo } from '../repo/notifications-repo'
import {
  customer,
  deliver,
  deliverEvents,
  EVENTS_QUEUE,
  listNotifications,
  orderEvent,
  testEnv,
  userRegistered,
} from '../../../../test/support/notifications'

const repo = createNotificationsRepo(testEnv.DB)
const contacts = createContactsRepo(testEnv.DB)
const minute = (n: number) => new Date(Date.UTC(2026, 10, 24, 9, n))

describe('order outcomes', () => {
  it('turns user.registered then order.confirmed into a welcome and an order_confirmed email to that user', async () => {
    const user = customer()
    const registered = userRegistered({ user_id: user.id, email: 'grace@example.com', name: 'Grace' }, minute(1))
    const confirmed = orderEvent(EVENT_TYPES.orderConfirmed, { user_id: user.id, order_id: 'ord_conf_1' }, minute(2))
    const { result, ids } = await deliverEvents(registered, confirmed)
    expect(result.explicitAcks).toEqual(ids)
    expect(result.retryMessages).toEqual([])

    expect(await listNotifications(user)).toEqual({
      items: [
        {
          id: expect.stringMatching(/^ntf_/),
          type: 'order_confirmed',
          channel: 'email',
          subject: 'Your order ord_conf_1 is confirmed',
          order_id: 'ord_conf_1',
          created_at: confirmed.time,
        },
        {
          id: expect.stringMatching(/^ntf_/),
          type: 'welcome',
          channel: 'email',
          subject: 'Welcome to Edge Commerce, Grace',
          order_id: null,
          created_at: registered.time,
        },
      ],
      next_cursor: null,
    })
    expect(await repo.findByEvent(confirmed.source, confirmed.id)).toMatchObject({
      user_id: user.id,
      recipient: 'grace@example.com',
      body: expect.stringContaining('Hi Grace,\n\nyour order ord_conf_1 is confirmed: 2 items, €25.00 in total.'),
      delivery_status: 'delivered',
    })
  })

  it('turns order.cancelled into an order_cancelled email naming the reason', async () => {
    const user = customer()
    await deliverEvents(userRegistered({ user_id: user.id, email: 'alan@example.com', name: 'Alan' }, minute(1)))
    const cancelled = orderEvent(
      EVENT_TYPES.orderCancelled,
      { user_id: user.id, order_id: 'ord_gone_1', cancellation_reason: 'out_of_stock' },
      minute(3),
    )
    const { result, ids } = await deliverEvents(cancelled)
    expect(result.explicitAcks).toEqual(ids)

    const [latest] = (await listNotifications(user)).items
    expect(latest).toMatchObject({
      type: 'order_cancelled',
      channel: 'email',
      order_id: 'ord_gone_1',
      subject: 'Your order ord_gone_1 was cancelled: out of stock',
    })
    expect(await repo.findByEvent(cancelled.source, cancelled.id)).toMatchObject({
      recipient: 'alan@example.com',
      body: expect.stringContaining('your order ord_gone_1 was cancelled (out of stock).'),
    })
  })

  it('names a reason it has no words for yet by its code, on one line', async () => {
    const user = customer()
    await deliverEvents(userRegistered({ user_id: user.id }, minute(1)))
    await deliverEvents(
      orderEvent(
        EVENT_TYPES.orderCancelled,
        { user_id: user.id, order_id: 'ord_x', cancellation_reason: 'fraud_suspected\r\nBcc: x' },
        minute(2),
      ),
    )
    const [latest] = (await listNotifications(user)).items
    expect(latest?.subject).toBe('Your order ord_x was cancelled: fraud suspected Bcc: x')
  })

  it('records one notification when an order event is delivered twice in a batch and again as a retry', async () => {
    const user = customer()
    await deliverEvents(userRegistered({ user_id: user.id }, minute(1)))
    const confirmed = orderEvent(EVENT_TYPES.orderConfirmed, { user_id: user.id }, minute(2))
    const first = await deliverEvents(confirmed, confirmed)
    expect(first.result.explicitAcks).toEqual(first.ids)
    const again = await deliver(EVENTS_QUEUE, [{ body: confirmed, attempts: 2 }])
    expect(again.result.explicitAcks).toEqual(again.ids)
    expect((await listNotifications(user)).items.map((item) => item.type)).toEqual(['order_confirmed', 'welcome'])
  })
})

describe('an order event before the user’s contact', () => {
  it('is retried with backoff, writing nothing, and succeeds once user.registered has arrived', async () => {
    const user = customer()
    const confirmed = orderEvent(EVENT_TYPES.orderConfirmed, { user_id: user.id, order_id: 'ord_early_1' }, minute(2))
    const early = await deliverEvents(confirmed)
    expect(early.result.explicitAcks).toEqual([])
    expect(early.result.retryMessages).toEqual([{ msgId: early.ids[0], delaySeconds: 2 }])
    expect(await repo.findByEvent(confirmed.source, confirmed.id)).toBeNull()
    expect(await testEnv.DB.prepare('SELECT 1 FROM inbox WHERE id = ?1').bind(confirmed.id).first()).toBeNull()

    // Still unknown on the next attempt: a longer wait.
    const second = await deliver(EVENTS_QUEUE, [{ body: confirmed, attempts: 2, id: early.ids[0] }])
    expect(second.result.retryMessages).toEqual([{ msgId: early.ids[0], delaySeconds: 4 }])

    await deliverEvents(userRegistered({ user_id: user.id, email: 'late@example.com' }, minute(1)))
    const third = await deliver(EVENTS_QUEUE, [{ body: confirmed, attempts: 3, id: early.ids[0] }])
    expect(third.result.explicitAcks).toEqual(third.ids)
    expect(third.result.retryMessages).toEqual([])

    const { items } = await listNotifications(user)
    expect(items.map(({ type, order_id }) => ({ type, order_id }))).toEqual([
      { type: 'order_confirmed', order_id: 'ord_early_1' },
      { type: 'welcome', order_id: null },
    ])
    expect(await repo.findByEvent(confirmed.source, confirmed.id)).toMatchObject({ recipient: 'late@example.com' })
  })

  it('does not hold up its batch-mates', async () => {
    const known = customer()
    const unknown = customer()
    await deliverEvents(userRegistered({ user_id: known.id }, minute(1)))
    const bodies = [
      orderEvent(EVENT_TYPES.orderCancelled, { user_id: unknown.id }),
      orderEvent(EVENT_TYPES.orderConfirmed, { user_id: known.id }),
    ]
    const { result, ids } = await deliverEvents(...bodies)
    expect(result.explicitAcks).toEqual([ids[1]])
    expect(result.retryMessages).toEqual([{ msgId: ids[0], delaySeconds: 2 }])
  })
})

describe('listing', () => {
  it('shows welcome and order outcomes together, newest first, whatever order they arrived in', async () => {
    const user = customer()
    const registered = userRegistered({ user_id: user.id }, minute(1))
    const confirmed = orderEvent(EVENT_TYPES.orderConfirmed, { user_id: user.id, order_id: 'ord_a' }, minute(2))
    const cancelled = orderEvent(
      EVENT_TYPES.orderCancelled,
      { user_id: user.id, order_id: 'ord_b', cancellation_reason: 'payment_declined' },
      minute(3),
    )
    await deliverEvents(registered, cancelled, confirmed)

    const { items } = await listNotifications(user)
    expect(items.map(({ type, order_id, subject }) => ({ type, order_id, subject }))).toEqual([
      { type: 'order_cancelled', order_id: 'ord_b', subject: 'Your order ord_b was cancelled: payment declined' },
      { type: 'order_confirmed', order_id: 'ord_a', subject: 'Your order ord_a is confirmed' },
      { type: 'welcome', order_id: null, subject: 'Welcome to Edge Commerce, Ada' },
    ])
    expect((await listNotifications(customer())).items).toEqual([])
  })
})

describe('contacts', () => {
  it('keeps the newest contact a user’s events carry, whatever order they arrive in', async () => {
    const user = customer()
    await deliverEvents(userRegistered({ user_id: user.id, email: 'new@example.com', name: 'New' }, minute(5)))
    await deliverEvents(userRegistered({ user_id: user.id, email: 'old@example.com', name: 'Old' }, minute(1)))
    expect(await contacts.find(user.id)).toEqual({ user_id: user.id, email: 'new@example.com', name: 'New' })
  })

  it('keeps no contact from a user.registered it retries', async () => {
    const user = customer()
    const invalid = { ...userRegistered({ user_id: user.id }), data: { user_id: user.id, name: 'No Email' } }
    const { result } = await deliverEvents(invalid)
    expect(result.retryMessages).toHaveLength(1)
    expect(await contacts.find(user.id)).toBeNull()
  })
})
