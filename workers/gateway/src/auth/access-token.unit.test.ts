import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { bearerToken, createAccessTokenVerifier, MAX_TOKEN_LENGTH, verifyAccessToken, type AccessTokenPolicy } from './access-token'

const ISSUER = 'https://auth.test.example'
const AUDIENCE = 'test-api'
const KID = 'users-test-1'
const NOW = new Date('2026-06-01T12:00:00Z')
const NOW_S = NOW.getTime() / 1000
const TTL_S = 15 * 60

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>
let issuerKeys: KeyPair
let attackerKeys: KeyPair
let publicJwk: JWK
let policy: AccessTokenPolicy

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { iss: ISSUER, aud: AUDIENCE, sub: 'u_1', roles: ['customer'], iat: NOW_S, exp: NOW_S + TTL_S, jti: 'j1', ...overrides }
}

/** Signs `payload` as given: a claim set to `undefined` is left out of the token. */
function sign(payload: JWTPayload, key: CryptoKey | Uint8Array = issuerKeys.privateKey, header: Record<string, unknown> = {}) {
  const present = Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined))
  return new SignJWT(present).setProtectedHeader({ alg: 'ES256', kid: KID, typ: 'at+jwt', ...header }).sign(key)
}

async function expectRejected(token: string, at: Date = NOW) {
  const result = await verifyAccessToken(token, { ...policy, currentDate: () => at })
  expect(result).toEqual({ ok: false, error: { code: 'unauthenticated', detail: expect.any(String) } })
}

beforeAll(async () => {
  issuerKeys = await generateKeyPair('ES256', { extractable: true })
  attackerKeys = await generateKeyPair('ES256', { extractable: true })
  publicJwk = { ...(await exportJWK(issuerKeys.publicKey)), kid: KID, alg: 'ES256', use: 'sig' }
  policy = { issuer: ISSUER, audience: AUDIENCE, getKey: createLocalJWKSet({ keys: [publicJwk] }), currentDate: () => NOW }
})

describe('verifyAccessToken', () => {
  it('answers the principal of a valid token', async () => {
    const result = await verifyAccessToken(await sign(claims({ roles: ['customer', 'admin'] })), policy)
    expect(result).toEqual({ ok: true, value: { id: 'u_1', roles: ['customer', 'admin'] } })
  })

  it('accepts a token that expired within the clock tolerance', async () => {
    const result = await verifyAccessToken(await sign(claims()), { ...policy, currentDate: () => new Date((NOW_S + TTL_S + 10) * 1000) })
    expect(result.ok).toBe(true)
  })

  it('rejects a token expired beyond the clock tolerance', async () => {
    await expectRejected(await sign(claims()), new Date((NOW_S + TTL_S + 31) * 1000))
  })

  it('rejects a correctly signed token issued in the future beyond the clock tolerance', async () => {
    await expectRejected(await sign(claims({ iat: NOW_S + 31, exp: NOW_S + 31 + TTL_S })))
  })

  it('accepts a token issued within the clock tolerance ahead of the gateway clock', async () => {
    const result = await verifyAccessToken(await sign(claims({ iat: NOW_S + 20, exp: NOW_S + 20 + TTL_S })), policy)
    expect(result.ok).toBe(true)
  })

  it('rejects a correctly signed token that lives longer than 15 minutes plus the tolerance', async () => {
    await expectRejected(await sign(claims({ exp: NOW_S + TTL_S + 31 })))
    await expectRejected(await sign(claims({ iat: NOW_S - 3600, exp: NOW_S + 24 * 3600 })))
  })

  it('accepts the longest lifetime it allows', async () => {
    expect((await verifyAccessToken(await sign(claims({ exp: NOW_S + TTL_S + 30 })), policy)).ok).toBe(true)
  })

  it.each(['exp', 'iat', 'sub'])('rejects a token without %s', async (claim) => {
    await expectRejected(await sign(claims({ [claim]: undefined })))
  })

  it('rejects an empty subject', async () => {
    await expectRejected(await sign(claims({ sub: '' })))
  })

  it('rejects another issuer', async () => {
    await expectRejected(await sign(claims({ iss: 'https://evil.example' })))
  })

  it('rejects another audience', async () => {
    await expectRejected(await sign(claims({ aud: 'another-api' })))
  })

  it.each([
    ['unknown', ['customer', 'superuser']],
    ['a string instead of a list of', 'admin'],
    ['missing', undefined],
  ])('rejects %s roles', async (_, roles) => {
    await expectRejected(await sign(claims({ roles: roles as string[] | undefined })))
  })

  it('rejects an unsigned token (alg none)', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}`
    await expectRejected(`${unsigned}.`)
    await expectRejected(`${unsigned}.${Buffer.from('x').toString('base64url')}`)
  })

  it('rejects a token signed with HS256 using the public key as the secret', async () => {
    const jwkBytes = new TextEncoder().encode(JSON.stringify(publicJwk))
    const rawBytes = new Uint8Array((await crypto.subtle.exportKey('raw', issuerKeys.publicKey)) as ArrayBuffer)
    for (const secret of [jwkBytes, rawBytes]) {
      await expectRejected(await sign(claims(), secret, { alg: 'HS256' }))
    }
  })

  it('rejects a token signed by a key it carries in its own jwk header', async () => {
    const jwk = await exportJWK(attackerKeys.publicKey)
    await expectRejected(await sign(claims(), attackerKeys.privateKey, { jwk }))
    await expectRejected(await sign(claims(), attackerKeys.privateKey, { jwk, kid: undefined }))
  })

  it('rejects a token signed by another key under the real kid', async () => {
    await expectRejected(await sign(claims(), attackerKeys.privateKey))
  })

  it('rejects a token whose kid is unknown', async () => {
    await expectRejected(await sign(claims(), issuerKeys.privateKey, { kid: 'users-unknown' }))
  })

  it('rejects a token whose signature was altered', async () => {
    const [header, payload, signature] = (await sign(claims())).split('.') as [string, string, string]
    // The first character carries six bits of the signature; the last may be padding only.
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1)
    await expectRejected(`${header}.${payload}.${flipped}`)
  })

  it('rejects a token whose payload was tampered with', async () => {
    const [header, , signature] = (await sign(claims())).split('.')
    await expectRejected(`${header}.${b64url(claims({ roles: ['admin'] }))}.${signature}`)
    await expectRejected(`${header}.${b64url(claims({ sub: 'u_2' }))}.${signature}`)
  })

  it.each([
    ['a two-segment token', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1XzEifQ'],
    ['garbage', 'not a token at all'],
    ['an empty string', ''],
    ['dots only', '..'],
  ])('rejects %s', async (_, token) => {
    await expectRejected(token)
  })

  it('rejects a validly signed token longer than the cap', async () => {
    const token = await sign(claims({ padding: 'x'.repeat(MAX_TOKEN_LENGTH) }))
    expect(token.length).toBeGreaterThan(MAX_TOKEN_LENGTH)
    await expectRejected(token)
  })
})

describe('createAccessTokenVerifier (a cache of verified tokens)', () => {
  const MAX_AGE_MS = 60_000
  let clock: number
  let keyLookups: number
  let jwks: JWK[]

  /** A policy on a hand-driven clock whose key set can be changed, counting key lookups (one per verification). */
  function cachedVerifier(maxEntries = 100) {
    clock = NOW.getTime()
    keyLookups = 0
    jwks = [publicJwk]
    const counted: AccessTokenPolicy = {
      ...policy,
      getKey: (header, token) => {
        keyLookups += 1
        return createLocalJWKSet({ keys: jwks })(header, token)
      },
      currentDate: () => new Date(clock),
    }
    return createAccessTokenVerifier(counted, { maxEntries, maxAgeMs: MAX_AGE_MS })
  }
  const accepted = (id = 'u_1') => ({ ok: true, value: { id, roles: ['customer'] } })
  const rejected = { ok: false, error: { code: 'unauthenticated', detail: expect.any(String) } }

  it('verifies a token once, then answers it from the cache', async () => {
    const verify = cachedVerifier()
    const token = await sign(claims())
    expect(await verify(token)).toEqual(accepted())
    clock += MAX_AGE_MS - 1
    expect(await verify(token)).toEqual(accepted())
    expect(keyLookups).toBe(1)
  })

  it('verifies again after the cap, so a key withdrawn from the key set stops being honoured', async () => {
    const verify = cachedVerifier()
    const token = await sign(claims())
    expect(await verify(token)).toEqual(accepted())
    jwks = []
    clock += MAX_AGE_MS - 1
    expect(await verify(token)).toEqual(accepted())
    clock += 1
    expect(await verify(token)).toEqual(rejected)
    expect(keyLookups).toBe(2)
  })

  it("keeps an entry no longer than the token's own exp", async () => {
    const verify = cachedVerifier()
    const token = await sign(claims({ exp: NOW_S + 20 }))
    expect(await verify(token)).toEqual(accepted())
    clock += 19_999
    expect(await verify(token)).toEqual(accepted())
    expect(keyLookups).toBe(1)
    // Past exp it is verified again: within the clock tolerance still accepted, beyond it refused.
    clock += 1
    expect(await verify(token)).toEqual(accepted())
    expect(keyLookups).toBe(2)
    clock += 31_000
    expect(await verify(token)).toEqual(rejected)
  })

  it('never caches a token that expired within the clock tolerance', async () => {
    const verify = cachedVerifier()
    const token = await sign(claims({ exp: NOW_S - 10 }))
    expect(await verify(token)).toEqual(accepted())
    expect(await verify(token)).toEqual(accepted())
    expect(keyLookups).toBe(2)
  })

  it('holds at most maxEntries tokens, evicting the least recently used', async () => {
    const verify = cachedVerifier(2)
    const a = await sign(claims({ sub: 'u_a' }))
    const b = await sign(claims({ sub: 'u_b' }))
    const c = await sign(claims({ sub: 'u_c' }))
    for (const [token, id] of [
      [a, 'u_a'],
      [b, 'u_b'],
      [c, 'u_c'],
    ])
      expect(await verify(token as string)).toEqual(accepted(id))
    expect(keyLookups).toBe(3)
    expect(await verify(c)).toEqual(accepted('u_c'))
    expect(await verify(b)).toEqual(accepted('u_b'))
    expect(keyLookups).toBe(3)
    expect(await verify(a)).toEqual(accepted('u_a'))
    expect(keyLookups).toBe(4)
  })

  it('never answers a tampered copy of a cached token from the cache', async () => {
    const verify = cachedVerifier()
    const token = await sign(claims())
    expect(await verify(token)).toEqual(accepted())
    const [header, , signature] = token.split('.') as [string, string, string]
    expect(await verify(`${header}.${b64url(claims({ roles: ['admin'] }))}.${signature}`)).toEqual(rejected)
    expect(await verify(`${header}.${b64url(claims({ sub: 'u_2' }))}.${signature}`)).toEqual(rejected)
    expect(await verify(`${token}x`)).toEqual(rejected)
  })

  it('never caches a failure, and failures do not evict verified tokens', async () => {
    const verify = cachedVerifier(1)
    const good = await sign(claims())
    expect(await verify(good)).toEqual(accepted())
    const forged = await sign(claims(), attackerKeys.privateKey)
    for (let i = 0; i < 3; i++) expect(await verify(forged)).toEqual(rejected)
    expect(keyLookups).toBe(4)
    expect(await verify(good)).toEqual(accepted())
    expect(keyLookups).toBe(4)
  })

  it('hands out a copy: changing an answered principal does not change the cached one', async () => {
    const verify = cachedVerifier()
    const token = await sign(claims())
    const first = await verify(token)
    if (first.ok) first.value.roles.push('admin')
    expect(await verify(token)).toEqual(accepted())
  })

  it('refuses a token over the length cap without verifying it', async () => {
    const verify = cachedVerifier()
    expect(await verify(await sign(claims({ padding: 'x'.repeat(MAX_TOKEN_LENGTH) })))).toEqual(rejected)
    expect(keyLookups).toBe(0)
  })
})

describe('bearerToken', () => {
  const token = 'aaa.bbb.ccc'

  it('reads the token of a Bearer header, whatever the scheme case', () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      expect(bearerToken(`${scheme} ${token}`)).toEqual({ ok: true, value: token })
    }
  })

  it('accepts a token exactly at the length cap', () => {
    const long = `${'a'.repeat(MAX_TOKEN_LENGTH - 4)}.b.c`
    expect(bearerToken(`Bearer ${long}`)).toEqual({ ok: true, value: long })
  })

  it('refuses a token over the length cap before parsing it', () => {
    const long = `${'a'.repeat(MAX_TOKEN_LENGTH - 3)}.b.c`
    expect(bearerToken(`Bearer ${long}`)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
  })

  it('refuses a missing header', () => {
    expect(bearerToken(undefined)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
  })

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a token with another scheme name', `Token ${token}`],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['no scheme', token],
    ['no space after the scheme', `Bearer${token}`],
    ['a scheme prefix', `Bearerx ${token}`],
    ['two tokens', `Bearer ${token} ${token}`],
    ['a second credential', `Bearer ${token}, Basic dXNlcjpwYXNz`],
    ['a two-segment token', 'Bearer aaa.bbb'],
    ['a four-segment token', 'Bearer aaa.bbb.ccc.ddd'],
    ['an empty segment', 'Bearer aaa..ccc'],
    ['characters outside base64url', 'Bearer aa+a.bb/b.cc=c'],
    ['a quoted token', `Bearer "${token}"`],
    ['an empty header', ''],
  ])('refuses %s', (_, header) => {
    expect(bearerToken(header)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
  })
})
