import { decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { callUsers, readProblem, registerUser, TEST_PASSWORD, uniqueEmail, testEnv } from '../../../../test/support/users'

const register = (body: unknown) => callUsers('/api/v1/auth/register', { method: 'POST', body })
const loginCall = (body: unknown) => callUsers('/api/v1/auth/login', { method: 'POST', body })
const valid = () => ({ email: uniqueEmail(), password: TEST_PASSWORD, name: 'Ada' })

async function expectValidationFailed(response: Response, paths: string[]) {
  const { status, contentType, body } = await readProblem(response)
  expect(status).toBe(400)
  expect(contentType).toBe('application/problem+json')
  expect(body).toMatchObject({ status: 400, code: 'validation_failed', request_id: expect.any(String) })
  expect(body.errors?.map((error) => error.path).sort()).toEqual(paths.sort())
}

describe('POST /api/v1/auth/register', () => {
  it('creates a customer and answers the user without any secret', async () => {
    const input = valid()
    const response = await register(input)
    expect(response.status).toBe(201)
    expect(response.headers.get('Location')).toBe('/api/v1/users/me')
    const user = (await response.json()) as Record<string, unknown>
    expect(Object.keys(user).sort()).toEqual(['created_at', 'email', 'id', 'name', 'roles'])
    expect(user).toMatchObject({ email: input.email, name: 'Ada', roles: ['customer'] })
    expect(user.id).toEqual(expect.any(String))
    expect(new Date(user.created_at as string).toISOString()).toBe(user.created_at)
    expect(JSON.stringify(user)).not.toContain(TEST_PASSWORD)
    expect(JSON.stringify(user)).not.toContain('pbkdf2')
  })

  it('stores the email trimmed and lower-cased', async () => {
    const email = uniqueEmail('MiXeD').toUpperCase()
    const response = await register({ ...valid(), email: `  ${email} ` })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ email: email.toLowerCase() })
  })

  it('refuses a taken email with 409 email_taken, also when it differs only in case', async () => {
    const input = valid()
    expect((await register(input)).status).toBe(201)
    for (const email of [input.email, input.email.toUpperCase()]) {
      const { status, body } = await readProblem(await register({ ...input, email, name: 'Other' }))
      expect(status).toBe(409)
      expect(body).toMatchObject({ code: 'email_taken', status: 409 })
    }
  })

  it('refuses a password shorter than 12 characters', async () => {
    await expectValidationFailed(await register({ ...valid(), password: 'elevenchars' }), ['password'])
  })

  it.each(['not-an-email', 'a@', '@example.com', '', `${'x'.repeat(250)}@example.com`])('refuses the email %j', async (email) => {
    await expectValidationFailed(await register({ ...valid(), email }), ['email'])
  })

  it('refuses missing fields, naming each', async () => {
    await expectValidationFailed(await register({}), ['email', 'name', 'password'])
    await expectValidationFailed(await register({ email: uniqueEmail(), password: TEST_PASSWORD }), ['name'])
  })

  it('refuses fields of the wrong type', async () => {
    await expectValidationFailed(await register({ ...valid(), name: 42 }), ['name'])
    await expectValidationFailed(await register([valid()]), [''])
  })

  it('refuses a caller-chosen role (mass assignment) and creates no user', async () => {
    const input = valid()
    await expectValidationFailed(await register({ ...input, roles: ['admin'] }), ['roles'])
    expect((await loginCall({ email: input.email, password: input.password })).status).toBe(401)
    const created = await register(input)
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject({ roles: ['customer'] })
  })

  it('refuses malformed JSON with 400 malformed_json', async () => {
    const { status, body } = await readProblem(await register('{"email": '))
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'malformed_json', request_id: expect.any(String) })
  })

  it('refuses an empty body with 400', async () => {
    const { status, body } = await readProblem(await callUsers('/api/v1/auth/register', { method: 'POST' }))
    expect(status).toBe(400)
    expect(body.code).toBe('malformed_json')
  })
})

describe('POST /api/v1/auth/login', () => {
  it('answers a 15-minute bearer token and a refresh token, never to be cached', async () => {
    const { user, password } = await registerUser()
    const response = await loginCall({ email: user.email, password })
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const body = (await response.json()) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type'])
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, refresh_token: expect.stringMatching(/^rt_[A-Za-z0-9_-]{43}$/) })
  })

  it('issues an ES256 token with a kid and the contract claims', async () => {
    const { user, password } = await registerUser()
    const { access_token } = (await (await loginCall({ email: user.email, password })).json()) as { access_token: string }
    const header = decodeProtectedHeader(access_token)
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) })
    expect(header.kid).toBe(JSON.parse(testEnv.JWT_PRIVATE_KEY!).kid)
    const claims = decodeJwt(access_token)
    expect(claims).toMatchObject({ iss: testEnv.JWT_ISSUER, aud: testEnv.JWT_AUDIENCE, sub: user.id, roles: ['customer'] })
    expect(claims.jti).toEqual(expect.any(String))
    expect(claims.exp! - claims.iat!).toBe(900)
  })

  it('gives every token its own jti', async () => {
    const { user, password } = await registerUser()
    const tokens = await Promise.all(
      [1, 2].map(async () => (await (await loginCall({ email: user.email, password })).json()) as { access_token: string }),
    )
    expect(decodeJwt(tokens[0]!.access_token).jti).not.toBe(decodeJwt(tokens[1]!.access_token).jti)
  })

  it('accepts the email in another case', async () => {
    const { user, password } = await registerUser()
    expect((await loginCall({ email: user.email.toUpperCase(), password })).status).toBe(200)
  })

  it('answers a wrong password and an unknown email identically, but for the request id', async () => {
    const { user } = await registerUser()
    const wrongPassword = await loginCall({ email: user.email, password: 'not the right password' })
    const unknownEmail = await loginCall({ email: uniqueEmail('nobody'), password: TEST_PASSWORD })
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.status).toBe(401)
      expect(response.headers.get('Content-Type')).toBe('application/problem+json')
      expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
    }
    const headersOf = (response: Response) => [...response.headers].filter(([name]) => name !== 'x-request-id')
    expect(headersOf(wrongPassword)).toEqual(headersOf(unknownEmail))
    const [a, b] = [await wrongPassword.json(), await unknownEmail.json()] as { request_id: string; code: string }[]
    expect(a!.code).toBe('invalid_credentials')
    expect(a!.request_id).not.toBe(b!.request_id)
    const withoutId = (body: { request_id: string }) => JSON.stringify({ ...body, request_id: null })
    expect(withoutId(a!)).toBe(withoutId(b!))
  })

  it('answers 401, not 500, when the stored hash is corrupt', async () => {
    const { user, password } = await registerUser()
    await testEnv.DB.prepare('UPDATE users SET password_hash = ? WHERE id = ?').bind('pbkdf2-sha256$0$!!$??', user.id).run()
    const { status, body } = await readProblem(await loginCall({ email: user.email, password }))
    expect(status).toBe(401)
    expect(body.code).toBe('invalid_credentials')
  })

  it('refuses an invalid login body with 400, not 401', async () => {
    await expectValidationFailed(await loginCall({ email: uniqueEmail() }), ['password'])
    await expectValidationFailed(await loginCall({ email: uniqueEmail(), password: TEST_PASSWORD, remember: true }), ['remember'])
    expect((await readProblem(await loginCall('nope'))).body.code).toBe('malformed_json')
  })
})
