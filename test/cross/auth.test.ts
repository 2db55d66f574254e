import { beforeAll, describe, expect, it } from 'vitest'
import type { User } from '../../shared-contracts/users'
import { bearer, call, dissect, expectProblem, PASSWORD, send, signUp, uniqueEmail, type SignedUp } from './client'

const USER_FIELDS = ['created_at', 'email', 'id', 'name', 'roles']

describe('POST /api/v1/auth/register through the gateway', () => {
  it('creates a customer and answers only the public user fields', async () => {
    const email = uniqueEmail('register')
    const response = await send('POST', '/api/v1/auth/register', { email, password: PASSWORD, name: 'Grace' })
    expect(response.status).toBe(201)
    const user = (await response.json()) as User
    expect(Object.keys(user).sort()).toEqual(USER_FIELDS)
    expect(user).toMatchObject({ email, name: 'Grace', roles: ['customer'] })
    expect(Number.isNaN(Date.parse(user.created_at))).toBe(false)
  })

  it('answers 409 email_taken for an email already registered, whatever its case', async () => {
    const email = uniqueEmail('dup')
    expect((await send('POST', '/api/v1/auth/register', { email, password: PASSWORD, name: 'One' })).status).toBe(201)
    await expectProblem(await send('POST', '/api/v1/auth/register', { email, password: PASSWORD, name: 'Two' }), 409, 'email_taken')
    const shouted = { email: email.toUpperCase(), password: PASSWORD, name: 'Three' }
    await expectProblem(await send('POST', '/api/v1/auth/register', shouted), 409, 'email_taken')
  })

  it('answers 400 validation_failed with field errors for a short password', async () => {
    const response = await send('POST', '/api/v1/auth/register', { email: uniqueEmail(), password: 'short', name: 'Ada' })
    const problem = await expectProblem(response, 400, 'validation_failed')
    expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'password' })]))
  })

  it('refuses to register with roles chosen by the client', async () => {
    const body = { email: uniqueEmail(), password: PASSWORD, name: 'Mallory', roles: ['admin'] }
    await expectProblem(await send('POST', '/api/v1/auth/register', body), 400, 'validation_failed')
  })
})

describe('POST /api/v1/auth/login through the gateway', () => {
  let account: SignedUp
  beforeAll(async () => {
    account = await signUp('Login')
  })

  it('answers a 15-minute ES256 bearer token carrying the contract claims', async () => {
    const response = await send('POST', '/api/v1/auth/login', { email: account.email, password: PASSWORD })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { access_token: string }
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 })
    const { decodedHeader, claims } = dissect(body.access_token)
    expect(decodedHeader).toMatchObject({ alg: 'ES256', kid: expect.any(String) })
    expect(claims).toMatchObject({
      iss: 'https://auth.edge-commerce.example',
      aud: 'edge-commerce-api',
      sub: account.user.id,
      roles: ['customer'],
      jti: expect.any(String),
    })
    expect((claims.exp as number) - (claims.iat as number)).toBe(900)
  })

  it('answers a wrong password and an unknown email alike', async () => {
    const wrongPassword = await send('POST', '/api/v1/auth/login', { email: account.email, password: 'not the password at all' })
    const unknownEmail = await send('POST', '/api/v1/auth/login', { email: uniqueEmail('nobody'), password: PASSWORD })
    const [a, b] = [wrongPassword, unknownEmail]
    expect(a.headers.get('WWW-Authenticate')).toBe(b.headers.get('WWW-Authenticate'))
    const first = await expectProblem(a, 401, 'invalid_credentials')
    const second = await expectProblem(b, 401, 'invalid_credentials')
    expect({ ...first, request_id: 'x' }).toEqual({ ...second, request_id: 'x' })
  })
})

describe('/api/v1/users/me through the gateway', () => {
  let account: SignedUp
  beforeAll(async () => {
    account = await signUp('Me')
  })

  it('answers the caller’s own user and nothing else', async () => {
    const response = await call('/api/v1/users/me', { headers: bearer(account.token) })
    expect(response.status).toBe(200)
    const user = (await response.json()) as User
    expect(Object.keys(user).sort()).toEqual(USER_FIELDS)
    expect(user).toEqual(account.user)
  })

  it('changes the caller’s name', async () => {
    const response = await send('PATCH', '/api/v1/users/me', { name: 'Renamed' }, bearer(account.token))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ id: account.user.id, name: 'Renamed', email: account.email })
    const me = await call('/api/v1/users/me', { headers: bearer(account.token) })
    expect(await me.json()).toMatchObject({ name: 'Renamed' })
  })

  it.each([
    ['roles', { name: 'Mallory', roles: ['admin'] }],
    ['email', { name: 'Mallory', email: 'admin@example.com' }],
    ['id', { id: 'usr_someone_else' }],
  ])('refuses mass assignment of %s with 400 and changes nothing', async (_, body) => {
    await expectProblem(await send('PATCH', '/api/v1/users/me', body, bearer(account.token)), 400, 'validation_failed')
    const me = (await (await call('/api/v1/users/me', { headers: bearer(account.token) })).json()) as User
    expect(me).toMatchObject({ id: account.user.id, email: account.email, roles: ['customer'] })
    expect(me.name).not.toBe('Mallory')
  })

  it('keeps an admin role out of the token after a refused role change', async () => {
    await send('PATCH', '/api/v1/users/me', { roles: ['admin'] }, bearer(account.token))
    const login = await send('POST', '/api/v1/auth/login', { email: account.email, password: PASSWORD })
    const { access_token } = (await login.json()) as { access_token: string }
    expect(dissect(access_token).claims.roles).toEqual(['customer'])
  })
})
