import { describe, expect, it } from 'vitest'
import { CloudEventSchema, EVENT_TYPES } from '../../../../shared-contracts/events'
import type { AdminUser } from '../../../../shared-contracts/users'
import {
  callUsers,
  login,
  readProblem,
  refreshCall,
  registerAndLogin,
  registerUser,
  testEnv,
  TEST_PASSWORD,
} from '../../../../test/support/users'

const NEW_PASSWORD = 'a brand new passphrase'
const ADMIN = { id: 'usr_admin_in_tests', roles: ['customer', 'admin'] as ('customer' | 'admin')[] }

const changePassword = (principal: { id: string; roles: ('customer' | 'admin')[] }, body: unknown) =>
  callUsers('/api/v1/users/me/password', { method: 'POST', principal, body })
const deleteMe = (principal: { id: string; roles: ('customer' | 'admin')[] }, body: unknown) =>
  callUsers('/api/v1/users/me', { method: 'DELETE', principal, body })
const adminView = async (id: string) => callUsers(`/api/v1/admin/users/${id}`, { principal: ADMIN })

async function loginStatus(email: string, password: string): Promise<number> {
  return (await callUsers('/api/v1/auth/login', { method: 'POST', body: { email, password } })).status
}

describe('POST /api/v1/users/me/password', () => {
  it('changes the password and ends every other session, keeping the one whose refresh token came along', async () => {
    const { user, principal, token } = await registerAndLogin()
    const other = await login(user.email, TEST_PASSWORD)
    const response = await changePassword(principal, {
      current_password: TEST_PASSWORD,
      new_password: NEW_PASSWORD,
      refresh_token: token.refresh_token,
    })
    expect(response.status).toBe(204)
    expect(await loginStatus(user.email, TEST_PASSWORD)).toBe(401)
    expect(await loginStatus(user.email, NEW_PASSWORD)).toBe(200)
    expect((await refreshCall(other.refresh_token)).status).toBe(401)
    expect((await refreshCall(token.refresh_token)).status).toBe(200)
  })

  it('ends every session when no refresh token comes along', async () => {
    const { principal, token } = await registerAndLogin()
    expect((await changePassword(principal, { current_password: TEST_PASSWORD, new_password: NEW_PASSWORD })).status).toBe(204)
    expect((await refreshCall(token.refresh_token)).status).toBe(401)
  })

  it("does not keep a session that is another user's", async () => {
    const { principal, token } = await registerAndLogin()
    const stranger = await registerAndLogin()
    const body = { current_password: TEST_PASSWORD, new_password: NEW_PASSWORD, refresh_token: stranger.token.refresh_token }
    expect((await changePassword(principal, body)).status).toBe(204)
    expect((await refreshCall(token.refresh_token)).status).toBe(401)
    expect((await refreshCall(stranger.token.refresh_token)).status).toBe(200)
  })

  it('refuses a wrong current password with a 401 and changes nothing', async () => {
    const { user, principal, token } = await registerAndLogin()
    const response = await changePassword(principal, { current_password: 'not the password', new_password: NEW_PASSWORD })
    const { status, body } = await readProblem(response)
    expect({ status, code: body.code }).toEqual({ status: 401, code: 'invalid_credentials' })
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
    expect(await loginStatus(user.email, TEST_PASSWORD)).toBe(200)
    expect((await refreshCall(token.refresh_token)).status).toBe(200)
  })

  it('holds the new password to the registration rules', async () => {
    const { principal } = await registerAndLogin()
    const response = await changePassword(principal, { current_password: TEST_PASSWORD, new_password: 'too short' })
    const { status, body } = await readProblem(response)
    expect({ status, code: body.code, paths: body.errors?.map((error) => error.path) }).toEqual({
      status: 400,
      code: 'validation_failed',
      paths: ['new_password'],
    })
  })
})

describe('DELETE /api/v1/users/me', () => {
  it('forgets the person at once, ends the sessions, and lets the email register again as a new account', async () => {
    const { user, principal, token } = await registerAndLogin()
    const response = await deleteMe(principal, { password: TEST_PASSWORD })
    expect(response.status).toBe(202)
    expect(await response.text()).toBe('')
    expect((await refreshCall(token.refresh_token)).status).toBe(401)
    expect(await loginStatus(user.email, TEST_PASSWORD)).toBe(401)
    expect((await callUsers('/api/v1/users/me', { principal })).status).toBe(404)
    const stored = JSON.stringify((await testEnv.DB.prepare('SELECT * FROM users WHERE id = ?').bind(user.id).all()).results)
    expect(stored).toBe('[]')
    const again = await registerUser({ email: user.email })
    expect(again.user.id).not.toBe(user.id)
  })

  it('publishes user.deleted through the outbox, and keeps no event with the email or name', async () => {
    const { user, principal } = await registerAndLogin({ name: 'Unforgettable Name' })
    expect((await deleteMe(principal, { password: TEST_PASSWORD })).status).toBe(202)
    const { results } = await testEnv.DB.prepare('SELECT type, envelope FROM outbox').all<{ type: string; envelope: string }>()
    const mine = results.filter((row) => row.envelope.includes(user.id))
    expect(mine.map((row) => row.type)).toEqual([EVENT_TYPES.userDeleted])
    const event = CloudEventSchema.parse(JSON.parse(mine[0]!.envelope))
    expect(event).toMatchObject({ subject: user.id, data: { user_id: user.id, deleted_at: expect.any(String) } })
    expect(results.some((row) => row.envelope.includes(user.email) || row.envelope.includes('Unforgettable Name'))).toBe(false)
  })

  it('refuses a wrong password with a 401 and deletes nothing', async () => {
    const { user, principal } = await registerAndLogin()
    const { status, body } = await readProblem(await deleteMe(principal, { password: 'not the password' }))
    expect({ status, code: body.code }).toEqual({ status: 401, code: 'invalid_credentials' })
    expect(await loginStatus(user.email, TEST_PASSWORD)).toBe(200)
  })

  it('answers 404 for an account already deleted', async () => {
    const { principal } = await registerAndLogin()
    expect((await deleteMe(principal, { password: TEST_PASSWORD })).status).toBe(202)
    expect((await readProblem(await deleteMe(principal, { password: TEST_PASSWORD }))).body.code).toBe('not_found')
  })
})

describe('GET /api/v1/admin/users/{id}', () => {
  it('shows an active account without personal data, then the same account deleted', async () => {
    const { user, principal } = await registerAndLogin()
    const active = await adminView(user.id)
    expect(active.status).toBe(200)
    expect(await active.json()).toEqual({
      id: user.id,
      status: 'active',
      roles: ['customer'],
      created_at: user.created_at,
      deleted_at: null,
    } satisfies AdminUser)
    await deleteMe(principal, { password: TEST_PASSWORD })
    const deleted = (await (await adminView(user.id)).json()) as AdminUser
    expect(deleted).toEqual({
      id: user.id,
      status: 'deleted',
      roles: ['customer'],
      created_at: user.created_at,
      deleted_at: expect.any(String),
    })
  })

  it('answers 404 for an id no account ever had', async () => {
    expect((await readProblem(await adminView('usr_never'))).body.code).toBe('not_found')
  })

  it('is refused to a customer', async () => {
    const { user, principal } = await registerAndLogin()
    expect((await readProblem(await callUsers(`/api/v1/admin/users/${user.id}`, { principal }))).status).toBe(403)
  })
})
