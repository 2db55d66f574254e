import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createEvent } from '../../platform/events/envelope'
import { EVENT_TYPES } from '../../shared-contracts/events'
import { bearer, call, expectProblem, send, signUp } from './client'

const DEV_ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }

async function adminToken(): Promise<string> {
  const login = await send('POST', '/api/v1/auth/login', DEV_ADMIN)
  expect(login.status).toBe(200)
  return ((await login.json()) as { access_token: string }).access_token
}

/** The notifications Worker's own database: the test plants a dead letter there, as its DLQ consumer would. */
const notificationsDb = (env as unknown as { NOTIFICATIONS_DB: D1Database }).NOTIFICATIONS_DB

async function plantDeadLetter(body: unknown): Promise<string> {
  const id = `msg-${crypto.randomUUID()}`
  await notificationsDb
    .prepare('INSERT INTO dead_letters (id, event_id, event_type, body, attempts, received_at) VALUES (?1, ?2, ?3, ?4, 4, ?5)')
    .bind(id, null, null, JSON.stringify(body), new Date().toISOString())
    .run()
  return id
}

interface Listed {
  items: Array<{ id: string; service: string; replayed_at: string | null }>
}

describe('the admin dead-letter API', () => {
  it('is for admins only', async () => {
    const { token } = await signUp()
    await expectProblem(await call('/api/v1/admin/dead-letters', { headers: bearer(token) }), 403, 'forbidden')
    await expectProblem(await call('/api/v1/admin/dead-letters'), 401, 'unauthenticated')
  })

  it("gathers every subscriber's dead letters, and a replay puts the event back on its queue", async () => {
    const customer = await signUp('Replayed')
    const token = await adminToken()
    const event = createEvent({
      service: 'users',
      type: EVENT_TYPES.userRegistered,
      subject: customer.user.id,
      data: { user_id: customer.user.id, email: customer.email, name: 'Replayed' },
    })
    const messageId = await plantDeadLetter(event)

    const listed = await call('/api/v1/admin/dead-letters', { headers: bearer(token) })
    expect(listed.status).toBe(200)
    const { items } = (await listed.json()) as Listed
    expect(items).toContainEqual(expect.objectContaining({ id: `notifications:${messageId}`, service: 'notifications', replayed_at: null }))

    const replayed = await send('POST', `/api/v1/admin/dead-letters/notifications:${messageId}/replay`, '', bearer(token))
    expect(replayed.status).toBe(200)
    expect(await replayed.json()).toMatchObject({ id: `notifications:${messageId}`, replayed_at: expect.any(String) })

    // The replayed event is consumed like any other: a second welcome (its id differs from the real one's).
    await expect
      .poll(
        async () => {
          const response = await call('/api/v1/notifications', { headers: bearer(customer.token) })
          return ((await response.json()) as { items: unknown[] }).items.length
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe(2)
  })

  it('answers 404 for a dead letter that does not exist', async () => {
    const token = await adminToken()
    for (const id of ['notifications:nope', 'nobody:nope', 'plain']) {
      await expectProblem(await send('POST', `/api/v1/admin/dead-letters/${id}/replay`, '', bearer(token)), 404, 'not_found')
    }
  })
})
