import { describe, expect, it, vi } from 'vitest'
import type { Principal } from '../../../../platform/auth/principal'
import type { DeadLetter } from '../../../../platform/events/dead-letters'
import {
  admin,
  callNotifications,
  customer,
  DEAD_LETTER_QUEUE,
  deliver,
  listNotifications,
  readProblem,
  userRegistered,
} from '../../../../test/support/notifications'

const listDeadLetters = async () => {
  const response = await callNotifications('/internal/dead-letters', { principal: admin })
  expect(response.status).toBe(200)
  return (await response.json()) as { items: DeadLetter[]; next_cursor: null }
}
const replay = (id: string, principal: Principal | null = admin) =>
  callNotifications(`/internal/dead-letters/${encodeURIComponent(id)}/replay`, { method: 'POST', principal })

describe('the dead-letter queue', () => {
  it('keeps each dead message once and acks the batch, poison included', async () => {
    const event = userRegistered()
    const poison = { not: 'an event' }
    const messages = [
      { body: event, attempts: 4 },
      { body: poison, attempts: 4 },
    ]
    const first = await deliver(DEAD_LETTER_QUEUE, messages)
    expect(first.result.ackAll).toBe(true)
    // The DLQ redelivers too: the same message ids are stored once.
    await deliver(
      DEAD_LETTER_QUEUE,
      messages.map((message, index) => ({ ...message, id: first.ids[index] })),
    )

    const { items } = await listDeadLetters()
    const mine = items.filter((item) => first.ids.includes(item.id))
    expect(mine).toHaveLength(2)
    expect(mine.find((item) => item.id === first.ids[0])).toMatchObject({
      event_id: event.id,
      event_type: event.type,
      attempts: 4,
      body: event,
      replayed_at: null,
    })
    expect(mine.find((item) => item.id === first.ids[1])).toMatchObject({ event_id: null, event_type: null, body: poison })
  })

  it('replays a dead event onto the queue, where it becomes its notification', async () => {
    const user = customer()
    const event = userRegistered({ user_id: user.id, name: 'Lazarus' })
    const { ids } = await deliver(DEAD_LETTER_QUEUE, [{ body: event, attempts: 4 }])

    const response = await replay(ids[0]!)
    expect(response.status).toBe(200)
    const replayed = (await response.json()) as DeadLetter
    expect(replayed).toMatchObject({ id: ids[0], event_id: event.id, replayed_at: expect.any(String) })
    expect((await listDeadLetters()).items.find((item) => item.id === ids[0])?.replayed_at).toBe(replayed.replayed_at)

    // The real queue hands the replayed message to this Worker's consumer.
    await vi.waitFor(
      async () => {
        const { items } = await listNotifications(user)
        expect(items.map((item) => item.subject)).toEqual(['Welcome to Edge Commerce, Lazarus'])
      },
      { timeout: 10_000, interval: 100 },
    )
  })

  it('answers 404 for a replay of an unknown dead letter', async () => {
    const { status, body } = await readProblem(await replay('no-such-message'))
    expect(status).toBe(404)
    expect(body.code).toBe('not_found')
  })

  it('serves its dead letters to admins only: a customer gets 403, anonymous 401', async () => {
    const { ids } = await deliver(DEAD_LETTER_QUEUE, [{ body: userRegistered(), attempts: 4 }])
    for (const [principal, status, code] of [
      [customer(), 403, 'forbidden'],
      [null, 401, 'unauthenticated'],
    ] as const) {
      const listed = await readProblem(await callNotifications('/internal/dead-letters', { principal }))
      expect([listed.status, listed.body.code]).toEqual([status, code])
      const replayed = await readProblem(await replay(ids[0]!, principal))
      expect([replayed.status, replayed.body.code]).toEqual([status, code])
    }
    expect((await listDeadLetters()).items.find((item) => item.id === ids[0])?.replayed_at).toBeNull()
  })
})
