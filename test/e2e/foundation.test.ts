import { describe, expect, it } from 'vitest'
import { api, signUp, uniqueEmail } from './client'
import { SERVICES } from '../../shared-contracts/routes'

const DEV_ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }

describe('the system as `npm start` runs it', () => {
  it('reports every service healthy', async () => {
    const health = await api('GET', '/health')
    expect(health.status).toBe(200)
    expect(health.body).toEqual({ status: 'ok', services: Object.fromEntries(SERVICES.map((service) => [service, 'ok'])) })
    expect(health.headers.get('X-Request-Id')).toMatch(/^[A-Za-z0-9._-]{8,128}$/)
  })

  it('lets a customer register, log in, read and rename their profile', async () => {
    const email = uniqueEmail()
    const registered = await api('POST', '/api/v1/auth/register', {
      body: { email, password: 'twelve chars or more', name: 'Grace' },
    })
    expect(registered.status).toBe(201)
    expect(registered.body).toMatchObject({ email, name: 'Grace', roles: ['customer'] })

    const login = await api<{ access_token: string; token_type: string; expires_in: number }>('POST', '/api/v1/auth/login', {
      body: { email, password: 'twelve chars or more' },
    })
    expect(login.status).toBe(200)
    expect(login.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 })

    const token = login.body.access_token
    const renamed = await api('PATCH', '/api/v1/users/me', { token, body: { name: 'Grace H.' } })
    expect(renamed.status).toBe(200)
    const me = await api('GET', '/api/v1/users/me', { token })
    expect(me.body).toEqual({ ...(registered.body as object), name: 'Grace H.' })
    expect(me.headers.get('Cache-Control')).toBe('no-store')
  })

  it('bootstraps the development admin account', async () => {
    const login = await api<{ access_token: string }>('POST', '/api/v1/auth/login', { body: DEV_ADMIN })
    expect(login.status).toBe(200)
    const me = await api('GET', '/api/v1/users/me', { token: login.body.access_token })
    expect(me.body).toMatchObject({ email: DEV_ADMIN.email, roles: expect.arrayContaining(['admin']) })
  })

  it('answers a wrong password and an unknown email alike', async () => {
    const { email } = await signUp()
    const wrong = await api('POST', '/api/v1/auth/login', { body: { email, password: 'not the password at all' } })
    const unknown = await api('POST', '/api/v1/auth/login', { body: { email: uniqueEmail('nobody'), password: 'whatever it is' } })
    expect(wrong.status).toBe(401)
    const { request_id: _a, ...wrongProblem } = wrong.body
    const { request_id: _b, ...unknownProblem } = unknown.body
    expect(wrongProblem).toEqual(unknownProblem)
  })

  it('publishes the token signing keys', async () => {
    const jwks = await api<{ keys: Array<Record<string, unknown>> }>('GET', '/.well-known/jwks.json')
    expect(jwks.status).toBe(200)
    expect(jwks.body.keys.length).toBeGreaterThanOrEqual(1)
    for (const key of jwks.body.keys) {
      expect(key).toMatchObject({ kty: 'EC', alg: 'ES256' })
      expect(key.kid).toMatch(/^users-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/)
      expect(key).not.toHaveProperty('d')
    }
  })
})

describe('bad input and unknown routes', () => {
  it('refuses a token in the query string', async () => {
    const { token } = await signUp()
    const response = await api('GET', `/api/v1/users/me?access_token=${token}`)
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer/)
  })

  it('answers problem+json with a request id for malformed JSON', async () => {
    const response = await api('POST', '/api/v1/auth/register', { body: '{"email":' })
    expect(response.status).toBe(400)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(response.body).toMatchObject({ status: 400, code: 'malformed_json', request_id: response.headers.get('X-Request-Id') })
  })

  it('refuses a role smuggled into a profile update', async () => {
    const { token } = await signUp()
    const response = await api('PATCH', '/api/v1/users/me', { token, body: { name: 'Mallory', roles: ['admin'] } })
    expect(response.status).toBe(400)
    const me = await api('GET', '/api/v1/users/me', { token })
    expect(me.body).toMatchObject({ roles: ['customer'], name: 'E2E Customer' })
  })

  it('ignores spoofed identity headers', async () => {
    const response = await api('GET', '/api/v1/users/me', {
      headers: { 'X-User-Id': 'usr_admin', 'X-User-Roles': 'admin', 'X-Gateway-Credential': 'forged' },
    })
    expect(response.status).toBe(401)
  })

  it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
    const unknown = await api('GET', '/api/v3/nothing-here')
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ code: 'not_found' })
    const wrongMethod = await api('PUT', '/api/v1/users/me')
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('Allow')).toContain('PATCH')
  })

  it('refuses a body over 1 MiB with 413', async () => {
    const response = await api('POST', '/api/v1/auth/register', { body: { name: 'x'.repeat(1024 * 1024 + 1) } })
    expect(response.status).toBe(413)
    expect(response.body).toMatchObject({ code: 'payload_too_large' })
  })
})
