import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../../platform/events/envelope'
import { EVENT_TYPES } from '../../../../shared-contracts/events'
import { createNotificationsRepo } from '../repo/notifications-repo'
import {
  customer,
  deliver,
  deliverEvents,
  EVENTS_QUEUE,
  listNotifications,
  newUserId,
  shuffle,
  testEnv,
  userRegistered,
} from '../../../../test/support/notifications'

const repo = createNotificationsRepo(testEnv.DB)

describe('user.registered', () => {
  it('becomes one welcome email, listed by that user only', async () => {
    const user = customer()
    const event = userRegistered({ user_id: user.id, email: 'grace@example.com', name: 'Grace' })
    const { result, ids } = await deliverEvents(event)
    expect(result.explicitAcks).toEqual(ids)
    expect(result.retryMessages).toEqual([])

    const page = await listNotifications(user)
    expect(page).toEqual({
      items: [
        {
          id: expect.stringMatching(/^ntf_/),
          type: 'welcome',
          channel: 'email',
          subject: 'Welcome to Edge Commerce, Grace',
          order_id: null,
          created_at: event.time,
        },
      ],
      next_cursor: null,
    })
    expect((await listNotifications(customer())).items).toEqual([])
  })

  it('records the recipient and body, and delivers through the sandbox at once', async () => {
    const event = userRegistered({ email: 'ada@example.com', name: 'Ada' })
    await deliverEvents(event)
    const stored = await repo.findByEvent(event.source, event.id)
    expect(stored).toMatchObject({
      user_id: event.data.user_id,
      recipient: 'ada@example.com',
      body: expect.stringContaining('Hi Ada,'),
      delivery_status: 'delivered',
      delivery_attempts: 1,
    })
  })

  it('keeps a name with line breaks out of the subject’s lines', async () => {
    const user = customer()
    await deliverEvents(userRegistered({ user_id: user.id, name: 'Eve\r\nBcc: everyone@example.com' }))
    const [notification] = (await listNotifications(user)).items
    expect(notification?.subject).toBe('Welcome to Edge Commerce, Eve Bcc: everyone@example.com')
  })
})

describe('at-least-once delivery', () => {
  it('records one notification when the same event arrives twice in a batch, again later, and as a retry', async () => {
    const user = customer()
    const event = userRegistered({ user_id: user.id })
    const first = await deliverEvents(event, event)
    expect(first.result.explicitAcks).toEqual(first.ids)
    const again = await deliver(EVENTS_QUEUE, [{ body: event, attempts: 2 }])
    expect(again.result.explicitAcks).toEqual(again.ids)
    expect((await listNotifications(user)).items).toHaveLength(1)
  })

  it('records one notification even when the inbox has forgotten the event', async () => {
    const user = customer()
    const event = userRegistered({ user_id: user.id })
    await deliverEvents(event)
    await testEnv.DB.prepare('DELETE FROM inbox WHERE source = ?1 AND id = ?2').bind(event.source, event.id).run()
    const { result, ids } = await deliverEvents(event)
    expect(result.explicitAcks).toEqual(ids)
    expect((await listNotifications(user)).items).toHaveLength(1)
  })

  it('reaches the same final state whatever the order, duplicates included', async () => {
    const people = ['Ada', 'Grace', 'Edsger', 'Barbara', 'Alan'].map((name, index) => ({
      name,
      time: new Date(Date.UTC(2026, 10, 1, 9, index)),
    }))

    /** One run: fresh users, the same people; returns each person's list without the generated ids. */
    async function run(order: (events: ReturnType<typeof userRegistered>[]) => unknown[]) {
      const users = people.map(() => customer(newUserId()))
      const events = people.map((person, index) => userRegistered({ user_id: users[index]!.id, name: person.name }, person.time))
      const bodies = order(events)
      for (let start = 0; start < bodies.length; start += 4) {
        const { result, ids } = await deliverEvents(...bodies.slice(start, start + 4))
        expect(result.explicitAcks).toEqual(ids)
      }
      return Promise.all(users.map(async (user) => (await listNotifications(user)).items.map(({ id: _id, ...rest }) => rest)))
    }

    const inOrder = await run((events) => events)
    expect(inOrder.every((items) => items.length === 1)).toBe(true)
    for (const seed of [1, 7, 42]) {
      const shuffled = await run((events) => shuffle([...events, ...events, events[0], events[3]], seed))
      expect(shuffled).toEqual(inOrder)
    }
  })
})

describe('poison messages', () => {
  const noSpecversion = () => {
    const { specversion: _gone, ...rest } = userRegistered()
    return rest
  }
  const badData = () => ({ ...userRegistered(), data: { user_id: newUserId(), name: 'No Email' } })

  it('retries an invalid envelope and invalid data with backoff, while acking their batch-mates', async () => {
    const good = [customer(), customer()]
    const bodies = [
      userRegistered({ user_id: good[0]!.id }),
      noSpecversion(),
      'not even json-shaped',
      badData(),
      userRegistered({ user_id: good[1]!.id }),
    ]
    const { result, ids } = await deliverEvents(...bodies)
    expect(result.ackAll).toBe(false)
    expect(result.explicitAcks.sort()).toEqual([ids[0], ids[4]].sort())
    // RETRY_BASE_SECONDS is 2: the first retry waits 2 s.
    expect(result.retryMessages).toEqual([ids[1], ids[2], ids[3]].map((msgId) => ({ msgId, delaySeconds: 2 })))
    for (const user of good) expect((await listNotifications(user)).items).toHaveLength(1)
  })

  it('waits longer on each retry: base × 2^(attempt − 1)', async () => {
    const { result, ids } = await deliver(EVENTS_QUEUE, [
      { body: badData(), attempts: 2 },
      { body: badData(), attempts: 3 },
    ])
    expect(result.retryMessages).toEqual([
      { msgId: ids[0], delaySeconds: 4 },
      { msgId: ids[1], delaySeconds: 8 },
    ])
  })

  it('writes nothing for a message it retries', async () => {
    const event = badData()
    await deliverEvents(event)
    expect(await repo.findByEvent(event.source, event.id)).toBeNull()
    const inbox = await testEnv.DB.prepare('SELECT 1 FROM inbox WHERE id = ?1').bind(event.id).first()
    expect(inbox).toBeNull()
  })

  it('acks an event type it does not subscribe to, and records nothing', async () => {
    const event = createEvent({
      service: 'payments',
      type: EVENT_TYPES.paymentCaptured,
      subject: 'pay_1',
      data: { payment_id: 'pay_1', order_id: 'ord_1', amount_cents: 100, currency: 'EUR' },
    })
    const { result, ids } = await deliverEvents(event)
    expect(result.explicitAcks).toEqual(ids)
    expect(await repo.findByEvent(event.source, event.id)).toBeNull()
  })
})
