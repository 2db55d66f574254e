import { afterAll, describe, expect, it } from 'vitest'
import type { AdminUser, User } from '../../shared-contracts/users'
import { api, signUp } from './client'
import { adminToken, createProduct, paymentsOf, placeOrder, settled, stockOf, TERMINAL } from './shop'
import { storedHolders } from './stored-text'

// The whole life of an account, through `npm start`: a customer with a confirmed order, a
// cancelled one and one whose saga is still running deletes the account. Every service forgets
// the person on its own; the orders and payments stay, and stock and money still add up.
const EVENTUALLY = { timeout: 30_000, interval: 500 }

async function setFault(admin: string, mode: 'error' | 'none') {
  const response = await api('PUT', '/api/v1/admin/faults/payments', { token: admin, body: { mode, rate: mode === 'none' ? 0 : 1 } })
  expect(response.status).toBe(200)
}

async function sagaStatus(admin: string, orderId: string): Promise<string | undefined> {
  const sagas = await api<{ items: { order_id: string; status: string }[] }>('GET', '/api/v1/admin/sagas?limit=100', { token: admin })
  return sagas.body.items.find((saga) => saga.order_id === orderId)?.status
}

describe('deleting an account, end to end', () => {
  let admin = ''
  afterAll(async () => {
    if (admin) await setFault(admin, 'none')
  })

  it('leaves no email or name in any API or database, keeps orders and payments, and frees the email', { timeout: 180_000 }, async () => {
    admin = await adminToken()
    const product = await createProduct(admin, 1500, 10)
    const name = `Deletable ${crypto.randomUUID().slice(0, 8)}`
    const customer = await signUp(name)
    const me = (await api<User>('GET', '/api/v1/users/me', { token: customer.token })).body
    const item = [{ product_id: product, quantity: 2 }]

    const confirmed = await settled(customer.token, (await placeOrder(customer.token, item, 'tok_visa')).body.id)
    const cancelled = await settled(customer.token, (await placeOrder(customer.token, item, 'tok_chargeDeclined')).body.id)
    expect([confirmed.status, cancelled.status]).toEqual(['confirmed', 'cancelled'])
    // Payments fail until the fault is lifted: the third order's saga is still running when the account goes.
    await setFault(admin, 'error')
    const running = (await placeOrder(customer.token, item, 'tok_visa')).body
    expect(await sagaStatus(admin, running.id)).toBe('running')
    await expect.poll(() => storedHolders([customer.email]).some((holder) => holder.endsWith('contacts')), EVENTUALLY).toBe(true)

    const deleted = await api('DELETE', '/api/v1/users/me', { token: customer.token, body: { password: customer.password } })
    expect(deleted.status).toBe(202)
    await setFault(admin, 'none')
    await expect
      .poll(() => sagaStatus(admin, running.id), { timeout: 120_000, interval: 500 })
      .toSatisfy((status?: string) => TERMINAL.includes(status ?? ''))

    // The APIs: the account is gone (its unexpired access token reaches nothing of it), an admin sees it deleted.
    expect((await api('GET', '/api/v1/users/me', { token: customer.token })).status).toBe(404)
    // The order list is the read model: user.deleted reaches it through orders' queue, eventually.
    await expect
      .poll(async () => (await api('GET', '/api/v1/orders', { token: customer.token })).body, EVENTUALLY)
      .toEqual({ items: [], next_cursor: null })
    await expect
      .poll(async () => (await api('GET', '/api/v1/notifications', { token: customer.token })).body, EVENTUALLY)
      .toEqual({ items: [], next_cursor: null })
    const view = await api<AdminUser>('GET', `/api/v1/admin/users/${me.id}`, { token: admin })
    expect(view.body).toEqual({
      id: me.id,
      status: 'deleted',
      roles: ['customer'],
      created_at: me.created_at,
      deleted_at: expect.any(String),
    })

    // The databases: no row anywhere holds the email or the name. (The bare id stays where it
    // records the deletion itself: users' deleted account, each service's list of erased users.)
    await expect.poll(() => storedHolders([customer.email, name]), EVENTUALLY).toEqual([])

    // Orders and payments remain with their amounts; money moved exactly for confirmed orders; no stock lost.
    const runningCompleted = (await sagaStatus(admin, running.id)) === 'completed'
    expect((await paymentsOf(admin, confirmed.id)).filter((payment) => payment.status === 'captured')).toEqual([
      expect.objectContaining({ amount_cents: 3000 }),
    ])
    expect((await paymentsOf(admin, cancelled.id)).filter((payment) => payment.status === 'captured')).toEqual([])
    const runningCaptures = (await paymentsOf(admin, running.id)).filter((payment) => payment.status === 'captured')
    expect(runningCaptures).toEqual(runningCompleted ? [expect.objectContaining({ amount_cents: 3000 })] : [])
    const sold = 2 * (1 + (runningCompleted ? 1 : 0))
    expect(await stockOf(admin, product)).toMatchObject({ on_hand: 10 - sold, reserved: 0 })

    // The email is free: it registers again, as a new account.
    const again = await api<User>('POST', '/api/v1/auth/register', {
      body: { email: customer.email, password: 'another long password', name: 'Someone Else' },
    })
    expect(again.status).toBe(201)
    expect(again.body.id).not.toBe(me.id)
  })
})
