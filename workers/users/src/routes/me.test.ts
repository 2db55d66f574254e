import { describe, expect, it } from 'vitest'
import type { Principal } from '../../../../platform/auth/principal'
import { callUsers, readProblem, registerUser } from '../../../../test/support/users'

const getMe = (principal: Principal | null) => callUsers('/api/v1/users/me', { principal })
const patchMe = (principal: Principal | null, body: unknown) => callUsers('/api/v1/users/me', { method: 'PATCH', principal, body })

async function expectUnchanged(principal: Principal, before: unknown) {
  const response = await getMe(principal)
  expect(response.status).toBe(200)
  expect(await response.json()).toEqual(before)
}

describe('GET /api/v1/users/me', () => {
  it('answers the caller as a contract user', async () => {
    const { user, principal } = await registerUser({ name: 'Grace' })
    const response = await getMe(principal)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual(user)
  })

  it('refuses an anonymous credential with 401 and a bearer challenge', async () => {
    const response = await getMe(null)
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
    const { status, contentType, body } = await readProblem(response)
    expect(status).toBe(401)
    expect(contentType).toBe('application/problem+json')
    expect(body).toMatchObject({ code: 'unauthenticated', request_id: expect.any(String) })
  })

  it('answers 404 when the account no longer exists', async () => {
    const { status, body } = await readProblem(await getMe({ id: 'usr_gone', roles: ['customer'] }))
    expect(status).toBe(404)
    expect(body.code).toBe('not_found')
  })
})

describe('PATCH /api/v1/users/me', () => {
  it('renames the caller and keeps the new name', async () => {
    const { user, principal } = await registerUser({ name: 'Ada' })
    const response = await patchMe(principal, { name: '  Ada Lovelace ' })
    expect(response.status).toBe(200)
    const updated = { ...user, name: 'Ada Lovelace' }
    expect(await response.json()).toEqual(updated)
    await expectUnchanged(principal, updated)
  })

  it('changes only the caller', async () => {
    const first = await registerUser({ name: 'First' })
    const second = await registerUser({ name: 'Second' })
    expect((await patchMe(first.principal, { name: 'Renamed' })).status).toBe(200)
    await expectUnchanged(second.principal, second.user)
  })

  it.each([
    ['roles', { roles: ['customer', 'admin'] }],
    ['email', { email: 'taken-over@example.com' }],
    ['id', { id: 'usr_other' }],
    ['created_at', { created_at: '2000-01-01T00:00:00.000Z' }],
    ['password', { password: 'a brand new password' }],
  ])('refuses a change to %s, even beside a valid name, and changes nothing', async (field, extra) => {
    const { user, principal } = await registerUser()
    for (const body of [extra, { name: 'Mallory', ...extra }]) {
      const { status, body: problem } = await readProblem(await patchMe(principal, body))
      expect(status).toBe(400)
      expect(problem.code).toBe('validation_failed')
      expect(problem.errors?.map((error) => error.path)).toContain(field)
    }
    await expectUnchanged(principal, user)
  })

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'x'.repeat(101)],
    ['not a string', 7],
  ])('refuses a name that is %s', async (_label, name) => {
    const { user, principal } = await registerUser()
    const { status, body } = await readProblem(await patchMe(principal, { name }))
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'name' })] })
    await expectUnchanged(principal, user)
  })

  it('refuses malformed JSON with 400 malformed_json', async () => {
    const { principal } = await registerUser()
    const { status, body } = await readProblem(await patchMe(principal, '{name:'))
    expect(status).toBe(400)
    expect(body.code).toBe('malformed_json')
  })

  it('refuses an anonymous credential with 401', async () => {
    const { status, body } = await readProblem(await patchMe(null, { name: 'Nobody' }))
    expect(status).toBe(401)
    expect(body.code).toBe('unauthenticated')
  })

  it('answers 404 when the account no longer exists, creating nothing', async () => {
    const ghost = { id: 'usr_ghost', roles: ['customer'] } satisfies Principal
    expect((await readProblem(await patchMe(ghost, { name: 'Ghost' }))).status).toBe(404)
    expect((await getMe(ghost)).status).toBe(404)
  })
})
