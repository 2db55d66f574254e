import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { bearerToken, MAX_TOKEN_LENGTH, verifyAccessToken, type AccessTokenPolicy } from './access-token'

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
