import { SignJWT, type JWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  attackerKey,
  bearer,
  call,
  dissect,
  encodeSegment,
  expectInvalidToken,
  expectUnauthenticated,
  forgeToken,
  send,
  signUp,
  type SignedUp,
} from './client'

// The users signing key is out of the tests' reach, so every forgery below is signed with a key
// of our own (or not at all). Each must be refused by the gateway itself: a 401 whose challenge
// says `invalid_token` (RFC 6750 §3.1), which only the gateway's authenticate step sends.
let account: SignedUp
let real: ReturnType<typeof dissect>
const now = () => Math.floor(Date.now() / 1000)

beforeAll(async () => {
  account = await signUp('Tokens')
  real = dissect(account.token)
})

const me = (headers: Record<string, string> = {}, query = '') => call(`/api/v1/users/me${query}`, { headers })

const forge = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) => forgeToken(real.decodedHeader.kid, claims, header)

describe('GET /api/v1/users/me refuses', () => {
  it('a request without a token', async () => {
    await expectUnauthenticated(await me())
  })

  it.each([
    ['garbage', 'Bearer not-a-token'],
    ['a two-segment token', 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0'],
    ['a Basic credential', 'Basic dXNlcjpwYXNz'],
    ['an empty Bearer', 'Bearer '],
  ])('%s', async (_, authorization) => {
    await expectInvalidToken(await me({ Authorization: authorization }))
  })

  it('an unsigned token (alg none)', async () => {
    const unsigned = `${encodeSegment({ alg: 'none', typ: 'JWT', kid: real.decodedHeader.kid })}.${real.payload}`
    await expectInvalidToken(await me(bearer(`${unsigned}.`)))
    await expectInvalidToken(await me(bearer(`${unsigned}.${real.signature}`)))
  })

  it('a token whose payload was tampered with', async () => {
    const payload = encodeSegment({ ...real.claims, roles: ['admin'] })
    await expectInvalidToken(await me(bearer(`${real.header}.${payload}.${real.signature}`)))
  })

  it('a token whose signature was altered', async () => {
    const flipped = (real.signature[0] === 'A' ? 'B' : 'A') + real.signature.slice(1)
    await expectInvalidToken(await me(bearer(`${real.header}.${real.payload}.${flipped}`)))
  })

  it('a token signed with HS256 using the published public key as the secret', async () => {
    const jwks = (await (await call('/.well-known/jwks.json')).json()) as { keys: JWK[] }
    const published = jwks.keys.find((key) => key.kid === real.decodedHeader.kid)
    expect(published).toBeDefined()
    const secret = new TextEncoder().encode(JSON.stringify(published))
    const token = await new SignJWT(real.claims).setProtectedHeader({ alg: 'HS256', kid: published!.kid }).sign(secret)
    await expectInvalidToken(await me(bearer(token)))
  })

  it('a token signed by a key it embeds in its own jwk header', async () => {
    const { publicJwk } = await attackerKey()
    await expectInvalidToken(await me(bearer(await forge(real.claims, { jwk: publicJwk }))))
    await expectInvalidToken(await me(bearer(await forge(real.claims, { jwk: publicJwk, kid: undefined }))))
  })

  it('a token re-signed with another key under the real kid', async () => {
    await expectInvalidToken(await me(bearer(await forge(real.claims))))
  })

  it('an expired token', async () => {
    const claims = { ...real.claims, iat: now() - 3600, exp: now() - 1800 }
    await expectInvalidToken(await me(bearer(await forge(claims))))
  })

  it('a token without exp', async () => {
    const { exp: _, ...claims } = real.claims
    await expectInvalidToken(await me(bearer(await forge(claims))))
  })

  it('a token from another issuer', async () => {
    await expectInvalidToken(await me(bearer(await forge({ ...real.claims, iss: 'https://evil.example' }))))
  })

  it('a token for another audience', async () => {
    await expectInvalidToken(await me(bearer(await forge({ ...real.claims, aud: 'another-api' }))))
  })

  it('a token under an unknown kid', async () => {
    await expectInvalidToken(await me(bearer(await forge(real.claims, { kid: 'users-unknown-kid' }))))
  })

  it('a token sent in the query string instead of the Authorization header', async () => {
    await expectUnauthenticated(await me({}, `?access_token=${account.token}`))
  })

  it('a 10 KB token with 401 or 431', async () => {
    const huge = `${real.header}.${'A'.repeat(10 * 1024)}.${real.signature}`
    const response = await me(bearer(huge))
    expect([401, 431]).toContain(response.status)
    if (response.status === 401) await expectInvalidToken(response)
  })
})

describe('an invalid token is never downgraded to anonymous', () => {
  it('refuses a bad token even on a public route', async () => {
    const response = await send('POST', '/api/v1/auth/login', { email: account.email, password: 'x' }, bearer('not-a-token'))
    await expectInvalidToken(response)
  })

  it('refuses a bad token on PATCH and leaves the user unchanged', async () => {
    const forged = await forge(real.claims)
    await expectInvalidToken(await send('PATCH', '/api/v1/users/me', { name: 'Forged' }, bearer(forged)))
    const current = await (await me(bearer(account.token))).json()
    expect(current).toMatchObject({ name: 'Tokens' })
  })
})

describe('the real token', () => {
  it('is accepted with any case of the Bearer scheme', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await me({ Authorization: `${scheme} ${account.token}` })
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ id: account.user.id })
    }
  })
})
