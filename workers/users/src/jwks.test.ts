import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWK } from 'jose'
import { describe, expect, it } from 'vitest'
import { callUsers, registerAndLogin, testEnv } from '../../../test/support/users'

const privateJwk = JSON.parse(testEnv.JWT_PRIVATE_KEY!) as JWK

async function fetchJwks(): Promise<{ keys: JWK[] }> {
  const response = await callUsers('/.well-known/jwks.json')
  expect(response.status).toBe(200)
  return (await response.json()) as { keys: JWK[] }
}

describe('GET /.well-known/jwks.json', () => {
  it('publishes the current public signing key, and no private part', async () => {
    const response = await callUsers('/.well-known/jwks.json')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=300')
    const { keys } = (await response.json()) as { keys: JWK[] }
    expect(keys).toHaveLength(1) // no previous key is configured in tests
    expect(keys[0]).toEqual({ kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y, kid: privateJwk.kid, alg: 'ES256', use: 'sig' })
    expect(keys[0]).not.toHaveProperty('d')
  })

  it('publishes the kid that tokens carry, and tokens verify against it', async () => {
    const { token, user } = await registerAndLogin()
    const jwks = await fetchJwks()
    expect(jwks.keys.map((key) => key.kid)).toContain(decodeProtectedHeader(token.access_token).kid)
    const { payload } = await jwtVerify(token.access_token, createLocalJWKSet(jwks), {
      issuer: testEnv.JWT_ISSUER,
      audience: testEnv.JWT_AUDIENCE,
      algorithms: ['ES256'],
    })
    expect(payload.sub).toBe(user.id)
  })
})

describe('secrets never leave the Worker', () => {
  it('no response carries the private signing key or a password hash', async () => {
    const { user, principal, password, token } = await registerAndLogin()
    const responses = [
      await callUsers('/.well-known/jwks.json'),
      await callUsers('/api/v1/auth/register', { method: 'POST', body: { email: user.email, password, name: 'Again' } }),
      await callUsers('/api/v1/auth/login', { method: 'POST', body: { email: user.email, password: 'a wrong password' } }),
      await callUsers('/api/v1/users/me', { principal }),
      await callUsers('/api/v1/users/me', { method: 'PATCH', principal, body: { name: 'Renamed' } }),
      await callUsers('/health'),
      await callUsers('/ready'),
    ]
    const texts = [JSON.stringify(token), ...(await Promise.all(responses.map((response) => response.text())))]
    for (const text of texts) {
      expect(text).not.toContain(privateJwk.d)
      expect(text).not.toMatch(/"d"\s*:/)
      expect(text).not.toContain('pbkdf2')
      expect(text).not.toContain(password)
    }
  })

  it('an access token carries identity and roles only: no email, name or hash', async () => {
    const { token } = await registerAndLogin()
    expect(Object.keys(decodeJwt(token.access_token)).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'roles', 'sub'])
  })
})
