import { createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, type JWK } from 'jose'
import { describe, expect, it } from 'vitest'
import type { User } from '../../../../shared-contracts/users'
import { ACCESS_TOKEN_TTL_SECONDS, createTokenIssuer, type TokenConfig } from './tokens'

async function keyPair(kid: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  return { privateJwk: { ...(await exportJWK(privateKey)), kid }, publicJwk: { ...(await exportJWK(publicKey)), kid } }
}

const config = (overrides: Partial<TokenConfig>): TokenConfig => ({
  issuer: 'https://auth.test',
  audience: 'edge-commerce-api',
  privateKeyJson: undefined,
  previousPublicKeyJson: undefined,
  ...overrides,
})

const user: User = { id: 'usr_1', email: 'ada@example.com', name: 'Ada', roles: ['customer'], created_at: '2026-01-01T00:00:00.000Z' }

describe('createTokenIssuer', () => {
  it('publishes only the current public key when there is no previous one', async () => {
    const current = await keyPair('current')
    const { keys } = createTokenIssuer(config({ privateKeyJson: JSON.stringify(current.privateJwk) })).jwks()
    expect(keys).toEqual([
      { kty: 'EC', crv: 'P-256', x: current.publicJwk.x, y: current.publicJwk.y, kid: 'current', alg: 'ES256', use: 'sig' },
    ])
  })

  it('publishes the current and the previous public key during a rotation, no private part', async () => {
    const [current, previous] = [await keyPair('current'), await keyPair('previous')]
    const issuer = createTokenIssuer(
      config({ privateKeyJson: JSON.stringify(current.privateJwk), previousPublicKeyJson: JSON.stringify(previous.publicJwk) }),
    )
    const { keys } = issuer.jwks()
    expect(keys.map((key) => key.kid)).toEqual(['current', 'previous'])
    for (const key of keys) expect(key).not.toHaveProperty('d')
    expect(keys[1]).toMatchObject({ x: previous.publicJwk.x, y: previous.publicJwk.y, alg: 'ES256', use: 'sig' })
  })

  it('publishes only the public half when the previous key is given as a private JWK', async () => {
    const [current, previous] = [await keyPair('current'), await keyPair('previous')]
    const issuer = createTokenIssuer(
      config({ privateKeyJson: JSON.stringify(current.privateJwk), previousPublicKeyJson: JSON.stringify(previous.privateJwk) }),
    )
    expect(JSON.stringify(issuer.jwks())).not.toContain(previous.privateJwk.d)
  })

  it('signs with the current key: the token verifies against the published keys', async () => {
    const [current, previous] = [await keyPair('current'), await keyPair('previous')]
    const issuer = createTokenIssuer(
      config({ privateKeyJson: JSON.stringify(current.privateJwk), previousPublicKeyJson: JSON.stringify(previous.publicJwk) }),
    )
    const token = await issuer.issue(user)
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS })
    expect(decodeProtectedHeader(token.access_token)).toMatchObject({ alg: 'ES256', kid: 'current' })
    const { payload } = await jwtVerify(token.access_token, createLocalJWKSet(issuer.jwks()), {
      issuer: 'https://auth.test',
      audience: 'edge-commerce-api',
    })
    expect(payload).toMatchObject({ sub: 'usr_1', roles: ['customer'] })
    expect(payload.exp! - payload.iat!).toBe(900)
  })

  it.each([
    ['missing', undefined, /JWT_PRIVATE_KEY is not configured/],
    ['not JSON', '{kty:EC', /JWT_PRIVATE_KEY is not valid JSON/],
    ['not an EC key', JSON.stringify({ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }), /EC JWK with a kid/],
    ['without a kid', JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' }), /EC JWK with a kid/],
  ])('throws at creation when the private key is %s', (_label, privateKeyJson, message) => {
    expect(() => createTokenIssuer(config({ privateKeyJson }))).toThrow(message)
  })

  it('throws at creation when the private key is only a public key', async () => {
    const current = await keyPair('current')
    expect(() => createTokenIssuer(config({ privateKeyJson: JSON.stringify(current.publicJwk) }))).toThrow(/private/)
  })

  it('throws at creation when the previous key is malformed', async () => {
    const current = await keyPair('current')
    const privateKeyJson = JSON.stringify(current.privateJwk)
    expect(() => createTokenIssuer(config({ privateKeyJson, previousPublicKeyJson: 'nope' }))).toThrow(/JWT_PREVIOUS_PUBLIC_KEY/)
    const noKid = JSON.stringify({ ...current.publicJwk, kid: undefined })
    expect(() => createTokenIssuer(config({ privateKeyJson, previousPublicKeyJson: noKid }))).toThrow(/JWT_PREVIOUS_PUBLIC_KEY/)
  })
})
