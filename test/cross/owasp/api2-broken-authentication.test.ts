import { SignJWT, base64url, generateKeyPair, type JWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROUTES } from '../../../shared-contracts/routes'
import {
  bearer,
  call,
  dissect,
  encodeSegment,
  expectInvalidToken,
  expectProblem,
  expectUnauthenticated,
  forgeToken,
  PASSWORD,
  send,
  signUp,
  uniqueEmail,
  uniqueIp,
  type SignedUp,
} from '../client'

// OWASP API2:2023 Broken Authentication. Every forged or broken token is refused on every
// signed-in route, with the gateway's own challenge; login never tells which half was wrong;
// credential endpoints are throttled per client IP. (test/cross/tokens.test.ts pins each attack
// on /users/me in detail; this file runs the attacks against the whole route table.)
let account: SignedUp
let real: ReturnType<typeof dissect>
const now = () => Math.floor(Date.now() / 1000)

beforeAll(async () => {
  account = await signUp('Auth')
  real = dissect(account.token)
})

/** Signs with the attacker's key (the real one is out of reach). */
const forged = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) => forgeToken(real.decodedHeader.kid, claims, header)

/** The real header and signature around other claims: what tampering looks like. */
const resealed = (claims: Record<string, unknown>) => `${real.header}.${encodeSegment(claims)}.${real.signature}`

const ATTACKS: Array<[string, () => Promise<string>]> = [
  ['alg none', async () => `${encodeSegment({ alg: 'none', typ: 'JWT' })}.${real.payload}.`],
  [
    'HS256 with the published public key as the secret',
    async () => {
      const jwks = (await (await call('/.well-known/jwks.json')).json()) as { keys: JWK[] }
      const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]))
      return new SignJWT(real.claims).setProtectedHeader({ alg: 'HS256', kid: jwks.keys[0]!.kid }).sign(secret)
    },
  ],
  [
    'ES384 under the real kid',
    async () => {
      const { privateKey } = await generateKeyPair('ES384')
      return new SignJWT(real.claims).setProtectedHeader({ alg: 'ES384', kid: real.decodedHeader.kid }).sign(privateKey)
    },
  ],
  ['a wrong kid (another real-looking key id)', () => forged(real.claims, { kid: `${real.decodedHeader.kid}-old` })],
  ['an unknown kid', () => forged(real.claims, { kid: crypto.randomUUID() })],
  ['no kid', () => forged(real.claims, { kid: undefined })],
  ['expired', () => forged({ ...real.claims, iat: now() - 7200, exp: now() - 3600 })],
  ['not valid before a time in the future', () => forged({ ...real.claims, nbf: now() + 3600 })],
  ['another issuer', () => forged({ ...real.claims, iss: 'https://evil.example' })],
  ['another audience', () => forged({ ...real.claims, aud: ['another-api'] })],
  ['no exp', async () => forged(Object.fromEntries(Object.entries(real.claims).filter(([claim]) => claim !== 'exp')))],
  ['a payload promoted to admin', async () => resealed({ ...real.claims, roles: ['admin'] })],
  ['a payload naming another subject', async () => resealed({ ...real.claims, sub: 'usr_00000000000000000000000000000000' })],
  ['a truncated signature', async () => `${real.header}.${real.payload}.${real.signature.slice(0, -4)}`],
  ['a signature from another token', async () => `${real.header}.${real.payload}.${dissect(await forged(real.claims)).signature}`],
  ['a header that is not JSON', async () => `${base64url.encode('{"alg":"ES256",')}.${real.payload}.${real.signature}`],
]

// Every route that needs a signed-in caller, with its placeholders filled in.
const SIGNED_IN_ROUTES = ROUTES.filter((route) => !('public' in route.access)).map((route) => ({
  method: route.method,
  path: route.path.replace(/:(\w+)/g, 'x_$1'),
}))

describe('a forged or broken token is refused on every signed-in route', () => {
  it.each(ATTACKS)('%s', async (_, make) => {
    const token = await make()
    for (const { method, path } of SIGNED_IN_ROUTES) {
      await expectInvalidToken(await send(method, path, method === 'GET' ? undefined : {}, bearer(token)))
    }
  })

  it('the real token still works (the attacks above fail for their flaw, not by accident)', async () => {
    expect((await call('/api/v1/users/me', { headers: bearer(account.token) })).status).toBe(200)
  })

  it.each([
    ['the query string', (token: string) => call(`/api/v1/users/me?access_token=${token}`)],
    ['a cookie', (token: string) => call('/api/v1/users/me', { headers: { Cookie: `access_token=${token}` } })],
    ['an X-Access-Token header', (token: string) => call('/api/v1/users/me', { headers: { 'X-Access-Token': token } })],
  ])('ignores a real token sent in %s', async (_, request) => {
    const response = await request(account.token)
    expect([400, 401]).toContain(response.status)
    if (response.status === 401) await expectUnauthenticated(response)
  })

  it.each([
    ['two tokens', `Bearer ${'a.b.c'} ${'a.b.c'}`],
    ['a token with a trailing segment', `Bearer ${'x'}.${'y'}.${'z'}.${'w'}`],
    ['a scheme without a space', 'Bearerabc.def.ghi'],
    ['non-ASCII in the token', 'Bearer ünï.cödé.tøken'],
  ])('refuses a malformed Authorization header: %s', async (_, authorization) => {
    await expectInvalidToken(await call('/api/v1/users/me', { headers: { Authorization: authorization } }))
  })
})

describe('login', () => {
  it('answers an unknown email and a wrong password with the same 401, word for word', async () => {
    const wrongPassword = await send('POST', '/api/v1/auth/login', { email: account.email, password: `${PASSWORD}!` })
    const unknownEmail = await send('POST', '/api/v1/auth/login', { email: uniqueEmail('ghost'), password: PASSWORD })
    const a = await expectProblem(wrongPassword, 401, 'invalid_credentials')
    const b = await expectProblem(unknownEmail, 401, 'invalid_credentials')
    expect({ ...a, request_id: null }).toEqual({ ...b, request_id: null })
    expect(wrongPassword.headers.get('WWW-Authenticate')).toBe(unknownEmail.headers.get('WWW-Authenticate'))
  })

  it('answers a register with a taken email without revealing anything about the account', async () => {
    const body = await expectProblem(
      await send('POST', '/api/v1/auth/register', { email: account.email, password: PASSWORD, name: 'Again' }),
      409,
      'email_taken',
    )
    expect(JSON.stringify(body)).not.toContain(account.user.id)
  })

  it('throttles guessing per client IP, fail-closed, whatever the email', async () => {
    // Every public auth route takes a credential (logout needs a signed-in caller and is counted per user).
    for (const route of ROUTES.filter((row) => row.path.startsWith('/api/v1/auth/') && 'public' in row.access)) {
      expect(route).toMatchObject({ rateLimit: 'auth', limiter: 'fail-closed' })
    }
    const ip = uniqueIp()
    const statuses: number[] = []
    for (let attempt = 0; attempt < 11; attempt++) {
      const response = await send(
        'POST',
        '/api/v1/auth/login',
        { email: uniqueEmail('guess'), password: `guess-${attempt}` },
        { 'CF-Connecting-IP': ip },
      )
      statuses.push(response.status)
      if (response.status === 429) expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0)
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429])
    // The right password from that IP waits too: the limit is not a per-account lockout to abuse.
    const locked = await send('POST', '/api/v1/auth/login', { email: account.email, password: PASSWORD }, { 'CF-Connecting-IP': ip })
    await expectProblem(locked, 429, 'quota_exceeded')
  })
})
