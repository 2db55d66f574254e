import { beforeAll, describe, expect, it, vi } from 'vitest'
import { adminToken, bearer, call, createProduct, expectProblem, placeOrder, signUp, type SignedUp } from '../client'

// OWASP API1:2023 Broken Object Level Authorization. Every resource a customer owns, read by
// another customer: the same 404 an unknown id gets (never 403: that would confirm it exists).
let owner: SignedUp
let stranger: SignedUp
let admin: string
let orderId: string

beforeAll(async () => {
  ;[owner, stranger, admin] = await Promise.all([signUp('Owner'), signUp('Stranger'), adminToken()])
  orderId = await placeOrder(owner.token, await createProduct(admin))
})

const get = (path: string, token: string) => call(path, { headers: bearer(token) })

describe("another customer's objects are not found", () => {
  it.each([
    ['the order', (id: string) => `/api/v1/orders/${id}`],
    ["the order's saga", (id: string) => `/api/v1/orders/${id}/saga`],
    ["the order's payments", (id: string) => `/api/v1/payments?order_id=${id}`],
  ])('%s: the owner sees it, a stranger gets the 404 of an id that never existed', async (_, path) => {
    await vi.waitFor(async () => expect((await get(path(orderId), owner.token)).status).toBe(200), { timeout: 5_000 })
    const theirs = await expectProblem(await get(path(orderId), stranger.token), 404, 'not_found')
    const unknown = await expectProblem(await get(path(`ord_${crypto.randomUUID().replaceAll('-', '')}`), stranger.token), 404, 'not_found')
    expect({ ...theirs, request_id: '' }).toEqual({ ...unknown, request_id: '' })
  })

  it("never lists another customer's orders, in v1 or v2, whatever the query says", async () => {
    // The lists are a read model the order's events fill: once the owner's shows the order, a
    // stranger's that does not is a refusal, not a list that has yet to learn of it.
    for (const path of ['/api/v1/orders', '/api/v2/orders'])
      await vi.waitFor(async () => expect(JSON.stringify(await (await get(path, owner.token)).json())).toContain(orderId), {
        timeout: 30_000,
        interval: 100,
      })
    for (const path of ['/api/v1/orders', '/api/v2/orders']) {
      const mine = await get(path, stranger.token)
      expect(mine.status).toBe(200)
      expect(JSON.stringify(await mine.json())).not.toContain(orderId)
      // A filter naming the owner is not a way in: unknown query fields are refused.
      await expectProblem(await get(`${path}?user_id=${owner.user.id}`, stranger.token), 400, 'validation_failed')
    }
  })

  it("never lists another customer's notifications", async () => {
    // The owner's welcome notification arrives over the queue.
    const ownerIds = await vi.waitFor(
      async () => {
        const page = (await (await get('/api/v1/notifications', owner.token)).json()) as { items: Array<{ id: string }> }
        expect(page.items.length).toBeGreaterThan(0)
        return page.items.map((item) => item.id)
      },
      { timeout: 10_000, interval: 100 },
    )
    const theirs = JSON.stringify(await (await get('/api/v1/notifications', stranger.token)).json())
    for (const id of ownerIds) expect(theirs).not.toContain(id)
    await expectProblem(await get(`/api/v1/notifications?user_id=${owner.user.id}`, stranger.token), 400, 'validation_failed')
  })

  it('answers /users/me with the caller, never with an id the request names', async () => {
    for (const path of ['/api/v1/users/me', `/api/v1/users/me?id=${owner.user.id}`, `/api/v1/users/me?user_id=${owner.user.id}`]) {
      const response = await get(path, stranger.token)
      if (response.status === 200) expect(await response.json()).toMatchObject({ id: stranger.user.id })
      else await expectProblem(response, 400, 'validation_failed')
    }
    await expectProblem(await get(`/api/v1/users/${owner.user.id}`, stranger.token), 404, 'not_found')
  })
})

describe('ids cannot be enumerated', () => {
  it('gives out opaque random ids, not counters', async () => {
    const second = await placeOrder(owner.token, await createProduct(admin))
    for (const id of [orderId, second, owner.user.id, stranger.user.id]) expect(id).toMatch(/^[a-z]+_[0-9a-f]{32}$/)
    expect(second).not.toBe(orderId)
  })

  it.each(['1', '0', '-1', 'ord_1', '*', '%25', '..', 'ord_%00', `${'f'.repeat(200)}`])(
    'answers the guessed id %j with 404',
    async (id) => {
      await expectProblem(await get(`/api/v1/orders/${id}`, stranger.token), 404, 'not_found')
    },
  )

  it('lets an admin read any order’s payments, which is why the route is per role', async () => {
    await vi.waitFor(async () => expect((await get(`/api/v1/payments?order_id=${orderId}`, admin)).status).toBe(200), { timeout: 5_000 })
  })
})
