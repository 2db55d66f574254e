import { describe, expect, it } from 'vitest'
import { forgeCredential } from '../../../test/support/forge-credential'
import { describeGatewayCredential, expectDenied } from '../../../test/support/internal-auth'
import { callUsers, uniqueEmail } from '../../../test/support/users'

describeGatewayCredential('users', [
  ['GET', '/.well-known/jwks.json'],
  ['POST', '/api/v1/auth/register', { email: 'intruder@example.com', password: 'long enough password', name: 'Eve' }],
  ['POST', '/api/v1/auth/login', { email: 'intruder@example.com', password: 'long enough password' }],
  ['GET', '/api/v1/users/me'],
  ['PATCH', '/api/v1/users/me', { name: 'Eve' }],
  ['POST', '/api/v1/auth/refresh', { refresh_token: 'rt_x' }],
  ['POST', '/api/v1/auth/logout', { refresh_token: 'rt_x' }],
  ['POST', '/api/v1/users/me/password', { current_password: 'x', new_password: 'long enough password' }],
  ['DELETE', '/api/v1/users/me', { password: 'x' }],
  ['GET', '/api/v1/admin/users/usr_x'],
])

describe('gateway credential, for users', () => {
  it('creates no account when a register call without a credential is refused', async () => {
    const body = { email: uniqueEmail('refused'), password: 'long enough password', name: 'Eve' }
    await expectDenied(await callUsers('/api/v1/auth/register', { method: 'POST', body, credential: null }))
    expect((await callUsers('/api/v1/auth/register', { method: 'POST', body })).status).toBe(201)
  })

  it('refuses a credential claiming a role that does not exist', async () => {
    const credential = await forgeCredential('users', { claims: { sub: 'usr_x', roles: ['customer', 'root'] } })
    await expectDenied(await callUsers('/api/v1/users/me', { credential }))
  })
})
