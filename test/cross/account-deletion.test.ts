import { describe, expect, it } from 'vitest'
import type { AdminUser } from '../../shared-contracts/users'
import { adminToken, bearer, call, expectProblem, PASSWORD, send, signUp } from './client'
import { storedState } from './state'

// Account deletion through the gateway, with every service's real D1 behind it: one command in
// users, and each other service forgets the person on its own as user.deleted reaches it.

/** Every stored row of every service that contains `text`, as `service.table`. */
async function holdersOf(text: string): Promise<string[]> {
  const state = await storedState()
  return Object.entries(state)
    .filter(([, rows]) => rows.some((row) => row.includes(text)))
    .map(([table]) => table)
}

describe('DELETE /api/v1/users/me through the gateway', () => {
  it('leaves no email or name in any database, shows the account deleted to an admin, and frees the email', async () => {
    const name = `Erasable ${crypto.randomUUID().slice(0, 8)}`
    const account = await signUp(name)
    // The welcome notification carries both: wait until notifications holds them.
    await expect.poll(() => holdersOf(account.email), { timeout: 15_000 }).toContain('notifications.contacts')

    const wrong = await send('DELETE', '/api/v1/users/me', { password: 'not the password' }, bearer(account.token))
    await expectProblem(wrong, 401, 'invalid_credentials')
    const deleted = await send('DELETE', '/api/v1/users/me', { password: PASSWORD }, bearer(account.token))
    expect(deleted.status).toBe(202)

    await expect.poll(async () => [...(await holdersOf(account.email)), ...(await holdersOf(name))], { timeout: 20_000 }).toEqual([])
    const admin = await adminToken()
    const view = await call(`/api/v1/admin/users/${account.user.id}`, { headers: bearer(admin) })
    expect((await view.json()) as AdminUser).toEqual({
      id: account.user.id,
      status: 'deleted',
      roles: ['customer'],
      created_at: account.user.created_at,
      deleted_at: expect.any(String),
    })
    await expectProblem(await send('POST', '/api/v1/auth/refresh', { refresh_token: account.refreshToken }), 401, 'invalid_refresh_token')

    const again = await send('POST', '/api/v1/auth/register', { email: account.email, password: PASSWORD, name: 'Someone New' })
    expect(again.status).toBe(201)
    expect(((await again.json()) as { id: string }).id).not.toBe(account.user.id)
  })

  it('is refused to a customer who names another account: there is only /me', async () => {
    const account = await signUp('Customer')
    await expectProblem(await call(`/api/v1/admin/users/${account.user.id}`, { headers: bearer(account.token) }), 403, 'forbidden')
  })
})
