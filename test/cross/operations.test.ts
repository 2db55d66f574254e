import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { bearer, call, expectProblem, send, signUp } from './client'

const DEV_ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }
const databases = env as unknown as { NOTIFICATIONS_DB: D1Database; ORDERS_DB: D1Database }

async function adminToken(): Promise<string> {
  const login = await send('POST', '/api/v1/auth/login', DEV_ADMIN)
  expect(login.status).toBe(200)
  return ((await login.json()) as { access_token: string }).access_token
}

const notificationsOf = async (token: string) =>
  ((await (await call('/api/v1/notifications', { headers: bearer(token) })).json()) as { items: { id: string; type: string }[] }).items

describe('POST /api/v1/admin/events/replay', () => {
  it('fills in a notification whose event the consumer lost, and a second replay adds nothing', async () => {
    const since = new Date(Date.now() - 1_000).toISOString()
    const customer = await signUp('Replayed')
    await expect.poll(async () => (await notificationsOf(customer.token)).length, { timeout: 15_000, interval: 200 }).toBe(1)
    // As if the message had been lost before the consumer applied it: no inbox row, no notification.
    await databases.NOTIFICATIONS_DB.batch([
      databases.NOTIFICATIONS_DB.prepare('DELETE FROM inbox WHERE id IN (SELECT event_id FROM notifications WHERE user_id = ?1)').bind(
        customer.user.id,
      ),
      databases.NOTIFICATIONS_DB.prepare('DELETE FROM notifications WHERE user_id = ?1').bind(customer.user.id),
    ])
    expect(await notificationsOf(customer.token)).toEqual([])

    const token = await adminToken()
    const replayed = await send('POST', '/api/v1/admin/events/replay', { since, service: 'users' }, bearer(token))
    expect(replayed.status).toBe(202)
    expect(((await replayed.json()) as { replayed: number }).replayed).toBeGreaterThanOrEqual(1)
    await expect.poll(async () => (await notificationsOf(customer.token)).length, { timeout: 15_000, interval: 200 }).toBe(1)
    const [restored] = await notificationsOf(customer.token)

    // Everything applied already: the same one notification, however often it is replayed.
    const again = await send('POST', '/api/v1/admin/events/replay', { since, type: 'com.edgecommerce.user.registered.v1' }, bearer(token))
    expect(again.status).toBe(202)
    const inboxRows = async () =>
      (await databases.NOTIFICATIONS_DB.prepare(
        'SELECT count(*) AS n FROM inbox WHERE id IN (SELECT event_id FROM notifications WHERE user_id = ?1)',
      )
        .bind(customer.user.id)
        .first<{ n: number }>())!.n
    expect(await inboxRows()).toBe(1)
    expect(await notificationsOf(customer.token)).toEqual([restored])
  })

  it('refuses a bad since, an unknown service or type, and a type its service does not publish, with a 400 that changes nothing', async () => {
    const token = await adminToken()
    const now = new Date().toISOString()
    for (const body of [
      {},
      { since: 'last tuesday' },
      { since: now, service: 'gateway' },
      { since: now, type: 'com.edgecommerce.nothing.v1' },
      { since: now, service: 'users', type: 'com.edgecommerce.order.placed.v1' },
    ]) {
      await expectProblem(await send('POST', '/api/v1/admin/events/replay', body, bearer(token)), 400, 'validation_failed')
    }
    await expectProblem(await send('POST', '/api/v1/admin/events/replay', '{"since":', bearer(token)), 400, 'malformed_json')
  })

  it('is for admins only, and so is the rebuild', async () => {
    const { token } = await signUp()
    await expectProblem(
      await send('POST', '/api/v1/admin/events/replay', { since: new Date().toISOString() }, bearer(token)),
      403,
      'forbidden',
    )
    await expectProblem(await send('POST', '/api/v1/admin/read-models/orders/rebuild', '', bearer(token)), 403, 'forbidden')
  })
})

describe('POST /api/v1/admin/read-models/orders/rebuild', () => {
  it('answers 202 with how many view rows it wrote', async () => {
    const response = await send('POST', '/api/v1/admin/read-models/orders/rebuild', '', bearer(await adminToken()))
    expect(response.status).toBe(202)
    expect(await response.json()).toEqual({ rebuilt: expect.any(Number) })
  })
})

describe('GET /api/v1/admin/dead-letters pages across services', () => {
  it('walks every dead letter once, newest first, with the cursor; a forged cursor is a 400', async () => {
    const token = await adminToken()
    // Five dead letters in two services, one minute apart, in the far future so they come first.
    const base = Date.parse('2999-01-01T00:00:00Z')
    const planted: string[] = []
    for (let i = 0; i < 5; i++) {
      const [service, db] =
        i % 2 === 0 ? (['notifications', databases.NOTIFICATIONS_DB] as const) : (['orders', databases.ORDERS_DB] as const)
      const id = `msg-${crypto.randomUUID()}`
      await db
        .prepare("INSERT INTO dead_letters (id, body, attempts, received_at) VALUES (?1, '{}', 4, ?2)")
        .bind(id, new Date(base + i * 60_000).toISOString())
        .run()
      planted.unshift(`${service}:${id}`)
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const response: Response = await call(`/api/v1/admin/dead-letters?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: bearer(token),
      })
      expect(response.status).toBe(200)
      const page = (await response.json()) as { items: { id: string }[]; next_cursor: string | null }
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((item) => item.id))
      cursor = page.next_cursor
    } while (cursor !== null && seen.length < 50)
    expect(seen.slice(0, 5)).toEqual(planted)
    expect(new Set(seen).size).toBe(seen.length)

    await expectProblem(await call('/api/v1/admin/dead-letters?cursor=not-a-cursor', { headers: bearer(token) }), 400, 'validation_failed')
    await expectProblem(await call('/api/v1/admin/dead-letters?limit=1000', { headers: bearer(token) }), 400, 'validation_failed')
  })
})
