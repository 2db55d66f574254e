import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { exportJWK, generateKeyPair } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { createCredentialSigner } from '../../platform/auth/internal-credential'
import gateway from '../../workers/gateway/src/index'
import type { Env } from '../../workers/gateway/src/env'
import { bearer, call, dissect, expectProblem, expectUnauthenticated, send, signUp, uniqueEmail, type SignedUp } from './client'
import { SERVICES } from '../../shared-contracts/routes'

const gatewayEnv: Env = env
/** A credential exactly as the gateway would sign it: the strongest thing a client could spoof. */
const signCredential = createCredentialSigner(gatewayEnv.GATEWAY_PRIVATE_KEY)

let caller: SignedUp
let victim: SignedUp
beforeAll(async () => {
  caller = await signUp('Caller')
  victim = await signUp('Victim')
})

async function spoofedHeaders(): Promise<Record<string, string>> {
  const credential = await signCredential('users', { principal: { id: victim.user.id, roles: ['admin'] }, requestId: 'spoofed-1234' })
  return {
    'X-Gateway-Credential': credential,
    'X-User-Id': victim.user.id,
    'X-User-Roles': 'admin',
    'X-Forwarded-User': victim.email,
  }
}

describe('identity comes only from the bearer token', () => {
  it('ignores junk in X-Gateway-Credential and identity headers sent with a token', async () => {
    const headers = { ...bearer(caller.token), 'X-Gateway-Credential': 'junk', 'X-User-Id': victim.user.id, 'X-User-Roles': 'admin' }
    const response = await call('/api/v1/users/me', { headers })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual(caller.user)
  })

  it('ignores a validly signed credential for someone else sent with a token', async () => {
    const response = await call('/api/v1/users/me', { headers: { ...(await spoofedHeaders()), ...bearer(caller.token) } })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual(caller.user)
  })

  it('still refuses an anonymous caller who sends identity headers', async () => {
    await expectUnauthenticated(await call('/api/v1/users/me', { headers: await spoofedHeaders() }))
    const junk = { 'X-Gateway-Credential': 'junk', 'X-User-Id': victim.user.id, 'X-User-Roles': 'admin', 'X-Forwarded-User': 'x' }
    await expectUnauthenticated(await call('/api/v1/users/me', { headers: junk }))
  })

  it('never lets spoofed headers change someone else’s profile', async () => {
    await expectUnauthenticated(await send('PATCH', '/api/v1/users/me', { name: 'Hijacked' }, await spoofedHeaders()))
    const own = await send('PATCH', '/api/v1/users/me', { name: 'Caller2' }, { ...(await spoofedHeaders()), ...bearer(caller.token) })
    expect(await own.json()).toMatchObject({ id: caller.user.id, name: 'Caller2' })
    const victimNow = await call('/api/v1/users/me', { headers: bearer(victim.token) })
    expect(await victimNow.json()).toMatchObject({ id: victim.user.id, name: 'Victim' })
  })
})

describe('forwarding', () => {
  it('answers HEAD like GET, without a body', async () => {
    const response = await call('/api/v1/users/me', { method: 'HEAD', headers: bearer(caller.token) })
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
  })

  it('forwards a path with a trailing slash to its route', async () => {
    const response = await call('/api/v1/users/me/', { headers: bearer(caller.token) })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ id: caller.user.id })
  })

  it('challenges for a bearer token when the service answers 401', async () => {
    const response = await send('POST', '/api/v1/auth/login', { email: uniqueEmail(), password: 'whatever it is' })
    await expectProblem(response, 401, 'invalid_credentials')
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="api"')
  })
})

describe('GET /.well-known/jwks.json through the gateway', () => {
  it('publishes the public key of the tokens, and no private member', async () => {
    const response = await call('/.well-known/jwks.json')
    expect(response.status).toBe(200)
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] }
    expect(keys.length).toBeGreaterThan(0)
    expect(keys.map((key) => key.kid)).toContain(dissect(caller.token).decodedHeader.kid)
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' })
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(secret)
    }
  })
})

describe('GET /health', () => {
  it('reports every service ok', async () => {
    const response = await call('/health')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok', services: Object.fromEntries(SERVICES.map((service) => [service, 'ok'])) })
  })

  it('answers 503 degraded when users refuses the gateway (its credential key is not trusted)', async () => {
    // The real gateway code and the real users Worker, with the gateway holding a key users does
    // not know: every probe is refused, as after a botched key rotation.
    const { privateKey } = await generateKeyPair('ES256', { extractable: true })
    const strangerKey = JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'gateway-stranger', alg: 'ES256' })
    async function health(overrides: Partial<Env>) {
      const ctx = createExecutionContext()
      const response = await gateway.fetch(new Request('https://api.example/health'), { ...gatewayEnv, ...overrides }, ctx)
      await waitOnExecutionContext(ctx)
      return response
    }
    // Control: the same call with the env unchanged is healthy, so only the key makes the difference.
    expect((await health({})).status).toBe(200)
    const response = await health({ GATEWAY_PRIVATE_KEY: strangerKey })
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({
      status: 'degraded',
      services: Object.fromEntries(SERVICES.map((service) => [service, 'down'])),
    })
    expect(response.headers.get('X-Request-Id')).toMatch(/^[A-Za-z0-9._-]{8,128}$/)

    // The same misconfiguration on a forwarded call is the system's fault: 503, not a 401 to the user.
    const ctx = createExecutionContext()
    const login = await gateway.fetch(
      new Request('https://api.example/api/v1/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'someone@example.com', password: 'whatever it is' }),
      }),
      { ...gatewayEnv, GATEWAY_PRIVATE_KEY: strangerKey },
      ctx,
    )
    await waitOnExecutionContext(ctx)
    expect(login.status).toBe(503)
    expect(await login.json()).toMatchObject({ code: 'service_unavailable' })
    expect(login.headers.get('WWW-Authenticate')).toBeNull()
  })
})
