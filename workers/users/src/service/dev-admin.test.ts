import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { callUsers, login, uniqueEmail, testEnv, testServices } from '../../../../test/support/users'
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, ensureDevAdmin } from './dev-admin'

// The real repository and service over the test's D1: the same database the Worker serves.
function realDeps() {
  const { repo, services } = testServices()
  return { repo, users: services.users }
}

const countByEmail = async (email: string) =>
  (await testEnv.DB.prepare('SELECT COUNT(*) AS n FROM users WHERE email = ?').bind(email).first<{ n: number }>())?.n

// Order matters in this file: the first test proves no admin exists before any bootstrap runs.
describe('dev admin bootstrap', () => {
  it('creates no admin account while serving requests under ENVIRONMENT test', async () => {
    expect(testEnv.ENVIRONMENT).toBe('test')
    expect(
      (
        await callUsers('/api/v1/auth/register', {
          method: 'POST',
          body: { email: uniqueEmail(), password: 'long enough password', name: 'A' },
        })
      ).status,
    ).toBe(201)
    expect((await callUsers('/health')).status).toBe(200)
    expect(await countByEmail(DEV_ADMIN_EMAIL)).toBe(0)
    const refused = await callUsers('/api/v1/auth/login', {
      method: 'POST',
      body: { email: DEV_ADMIN_EMAIL, password: DEV_ADMIN_PASSWORD },
    })
    expect(refused.status).toBe(401)
  })

  it('creates nothing in production, whatever the admin settings say', async () => {
    const { repo, users } = realDeps()
    await ensureDevAdmin({ environment: 'production', email: undefined, password: undefined }, repo, users)
    const email = uniqueEmail('prod-admin')
    await ensureDevAdmin({ environment: 'production', email, password: 'a configured password' }, repo, users)
    expect(await countByEmail(DEV_ADMIN_EMAIL)).toBe(0)
    expect(await countByEmail(email)).toBe(0)
  })

  it('creates the default admin in development, who logs in as customer and admin', async () => {
    const { repo, users } = realDeps()
    await ensureDevAdmin({ environment: 'development', email: undefined, password: undefined }, repo, users)
    const token = await login(DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
    expect(decodeJwt(token.access_token).roles).toEqual(['customer', 'admin'])
    const stored = await repo.findByEmail(DEV_ADMIN_EMAIL)
    expect(stored?.user).toMatchObject({ email: DEV_ADMIN_EMAIL, roles: ['customer', 'admin'] })
  })

  it('is idempotent: a second run keeps the one admin and its password', async () => {
    const { repo, users } = realDeps()
    await ensureDevAdmin({ environment: 'development', email: undefined, password: undefined }, repo, users)
    await ensureDevAdmin({ environment: 'development', email: undefined, password: 'another password entirely' }, repo, users)
    expect(await countByEmail(DEV_ADMIN_EMAIL)).toBe(1)
    expect(decodeJwt((await login(DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)).access_token).roles).toEqual(['customer', 'admin'])
  })

  it('honours ADMIN_EMAIL and ADMIN_PASSWORD, storing the email lower-cased', async () => {
    const { repo, users } = realDeps()
    const email = uniqueEmail('Ops-Admin')
    await ensureDevAdmin({ environment: 'development', email: email.toUpperCase(), password: 'ops password 123' }, repo, users)
    const token = await login(email.toLowerCase(), 'ops password 123')
    expect(decodeJwt(token.access_token).roles).toEqual(['customer', 'admin'])
  })
})
