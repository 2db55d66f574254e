import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { callUsers, readProblem, uniqueEmail } from '../../../test/support/users'
import { forgeCredential, GATEWAY_KID, strangerKey, unsignedCredential } from '../../../test/support/forge-credential'

// Zero trust inside the system: users serves nothing without a credential the gateway signed for it.
const ROUTES: [method: string, path: string, body?: unknown][] = [
  ['GET', '/health'],
  ['GET', '/ready'],
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
  ['GET', '/no/such/route'],
]

async function expectDenied(response: Response) {
  const { status, contentType, body } = await readProblem(response)
  expect(status).toBe(401)
  expect(contentType).toBe('application/problem+json')
  expect(body).toMatchObject({ status: 401, code: 'unauthenticated', type: '/problems/unauthenticated' })
  expect(body.request_id).toEqual(expect.any(String))
  expect(JSON.stringify(body)).not.toMatch(/stack|Error:/)
}

describe('gateway credential', () => {
  it.each(ROUTES)('refuses %s %s without a credential', async (method, path, body) => {
    await expectDenied(await callUsers(path, { method, body, credential: null }))
  })

  it('creates no account when a register call without a credential is refused', async () => {
    const email = uniqueEmail('refused')
    const body = { email, password: 'long enough password', name: 'Eve' }
    await expectDenied(await callUsers('/api/v1/auth/register', { method: 'POST', body, credential: null }))
    expect((await callUsers('/api/v1/auth/register', { method: 'POST', body })).status).toBe(201)
  })

  it('accepts a forged credential that changes nothing (so each refusal below is down to its one change)', async () => {
    expect((await callUsers('/health', { credential: await forgeCredential() })).status).toBe(200)
  })

  it('refuses a credential the gateway signed for another service', async () => {
    await expectDenied(await callUsers('/health', { audience: 'orders' }))
  })

  it('refuses a credential from another issuer', async () => {
    await expectDenied(await callUsers('/health', { credential: await forgeCredential({ claims: { iss: 'users' } }) }))
  })

  it('refuses a credential signed by a key the gateway does not own, even under its kid', async () => {
    const key = await strangerKey()
    await expectDenied(await callUsers('/health', { credential: await forgeCredential({ key }) }))
    const unknownKid = await forgeCredential({ key, header: { kid: 'stranger' } })
    await expectDenied(await callUsers('/health', { credential: unknownKid }))
  })

  it('refuses an expired credential', async () => {
    const now = Math.floor(Date.now() / 1000)
    const credential = await forgeCredential({ claims: { iat: now - 600, exp: now - 540 } })
    await expectDenied(await callUsers('/health', { credential }))
  })

  it('refuses a credential whose lifetime is not yet expired but that was issued too long ago', async () => {
    const now = Math.floor(Date.now() / 1000)
    const credential = await forgeCredential({ claims: { iat: now - 3600, exp: now + 3600 } })
    await expectDenied(await callUsers('/health', { credential }))
  })

  it('refuses a credential without an expiry', async () => {
    await expectDenied(await callUsers('/health', { credential: await forgeCredential({ claims: { exp: undefined } }) }))
  })

  it('refuses a credential claiming a role that does not exist', async () => {
    const credential = await forgeCredential({ claims: { sub: 'usr_x', roles: ['customer', 'root'] } })
    await expectDenied(await callUsers('/api/v1/users/me', { credential }))
  })

  it('refuses an unsigned credential (alg none)', async () => {
    await expectDenied(await callUsers('/health', { credential: unsignedCredential() }))
  })

  it('refuses an HS256 credential keyed with the kid the gateway uses', async () => {
    const secret = new TextEncoder().encode(GATEWAY_KID)
    const now = Math.floor(Date.now() / 1000)
    const credential = await new SignJWT({ roles: [], rid: 'rid-hs256-test' })
      .setProtectedHeader({ alg: 'HS256', kid: GATEWAY_KID })
      .setIssuer('gateway')
      .setAudience('users')
      .setSubject('anonymous')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(secret)
    await expectDenied(await callUsers('/health', { credential }))
  })

  it.each(['garbage', 'a.b.c', '', 'Bearer x', 'x'.repeat(5000)])('refuses the garbage credential %#', async (credential) => {
    await expectDenied(await callUsers('/health', { credential }))
  })

  it('serves /health and /ready to a valid credential', async () => {
    const health = await callUsers('/health')
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok' })
    const ready = await callUsers('/ready')
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'ok' })
  })

  it('takes the request id from X-Request-Id when a reused credential names an earlier request (ADR 0002)', async () => {
    const credential = await forgeCredential({ claims: { rid: 'req-first-00000' } })
    const response = await callUsers('/no/such/route', { credential, headers: { 'X-Request-Id': 'req-second-0000' } })
    const { body } = await readProblem(response)
    expect(body.request_id).toBe('req-second-0000')
    expect(response.headers.get('X-Request-Id')).toBe('req-second-0000')
  })

  it('answers the request id of the credential in the body and the X-Request-Id header', async () => {
    const response = await callUsers('/no/such/route')
    const { status, body } = await readProblem(response)
    expect(status).toBe(404)
    expect(body.code).toBe('not_found')
    expect(response.headers.get('X-Request-Id')).toBe(body.request_id)
  })
})
