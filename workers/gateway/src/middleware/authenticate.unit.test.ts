import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { Principal } from '../../../../platform/auth/principal'
import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import { KeysUnavailableError } from '../auth/jwks-cache'
import type { GatewayEnv, GatewayServices } from '../services'
import { authenticate } from './authenticate'

const TOKEN = 'aaa.bbb.ccc'
const ADA: Principal = { id: 'usr_ada', roles: ['customer'] }

/** A gateway whose token verifier answers `verify`; the route answers the principal it got. */
function gateway(verify: (token: string) => Promise<Result<Principal>>) {
  const app = new Hono<GatewayEnv>()
  app.use(async (c, next) => {
    c.set('services', { verifyToken: verify } as GatewayServices)
    await next()
  })
  app.use(authenticate())
  app.get('/', (c) => c.json({ principal: c.var.principal }))
  return app
}

describe('authenticate', () => {
  it('lets a request without Authorization through as anonymous, without verifying anything', async () => {
    const seen: string[] = []
    const response = await gateway(async (token) => (seen.push(token), ok(ADA))).request('/')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ principal: null })
    expect(seen).toEqual([])
  })

  it('sets the principal of a token that verifies', async () => {
    const response = await gateway(async (token) => (token === TOKEN ? ok(ADA) : fail({ code: 'unauthenticated' }))).request('/', {
      headers: { Authorization: `Bearer ${TOKEN}` },
    })
    expect(await response.json()).toEqual({ principal: ADA })
  })

  it('answers a token that does not verify 401 with a Bearer challenge, never as anonymous', async () => {
    const response = await gateway(async () => fail({ code: 'unauthenticated', detail: 'expired' })).request('/', {
      headers: { Authorization: `Bearer ${TOKEN}` },
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="api", error="invalid_token"')
    expect(await response.json()).toMatchObject({ code: 'unauthenticated', detail: 'expired' })
  })

  it('refuses an Authorization header that is not a bearer token, without verifying it', async () => {
    const seen: string[] = []
    const response = await gateway(async (token) => (seen.push(token), ok(ADA))).request('/', {
      headers: { Authorization: 'Basic YWRhOnB3' },
    })
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ code: 'unauthenticated', detail: 'The Authorization header is not a bearer token.' })
    expect(seen).toEqual([])
  })

  it('answers 503 with Retry-After when the verification keys cannot be had', async () => {
    const response = await gateway(async () => {
      throw new KeysUnavailableError('users is down')
    }).request('/', { headers: { Authorization: `Bearer ${TOKEN}` } })
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('5')
    expect(await response.json()).toMatchObject({ code: 'service_unavailable' })
  })
})
