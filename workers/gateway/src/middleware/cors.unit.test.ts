import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { useConfig } from '../../../../platform/http/config'
import { gatewayConfig } from '../config'
import type { GatewayEnv } from '../services'
import { cors } from './cors'

const app = new Hono<GatewayEnv>()
  .use(useConfig(gatewayConfig))
  .use(cors())
  .get('/api/v1/products', (c) => c.json({ items: [] }))
const REQUIRED = { ENVIRONMENT: 'test', JWT_ISSUER: 'https://auth.example', JWT_AUDIENCE: 'api' }
const ALLOWED = 'https://shop.example, https://admin.example'
const call = (origin: string, init: RequestInit = {}, list = ALLOWED) =>
  app.request('/api/v1/products', { ...init, headers: { Origin: origin, ...init.headers } }, {
    ...REQUIRED,
    CORS_ALLOWED_ORIGINS: list,
  } as unknown as GatewayEnv['Bindings'])

describe('cors', () => {
  it('echoes an origin on the allow-list and exposes the headers clients read', async () => {
    const response = await call('https://admin.example')
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://admin.example')
    expect(response.headers.get('Access-Control-Expose-Headers')).toBe(
      'X-Request-Id,Location,Retry-After,ETag,RateLimit,RateLimit-Policy,Deprecation,Sunset,Link',
    )
  })

  it('never echoes an origin that is not on the list', async () => {
    const response = await call('https://evil.example')
    expect(response.status).toBe(200)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })

  it('answers a preflight from an allowed origin with the methods and headers the API takes', async () => {
    const response = await call('https://shop.example', { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'POST' } })
    expect(response.status).toBe(204)
    expect(response.headers.get('Access-Control-Allow-Methods')).toBe('GET,POST,PUT,PATCH,DELETE')
    expect(response.headers.get('Access-Control-Allow-Headers')).toBe(
      'Authorization,Content-Type,Idempotency-Key,If-None-Match,X-Request-Id',
    )
    expect(response.headers.get('Access-Control-Max-Age')).toBe('600')
  })

  it('follows a change of the allow-list without a restart', async () => {
    expect((await call('https://new.example', {}, 'https://new.example')).headers.get('Access-Control-Allow-Origin')).toBe(
      'https://new.example',
    )
    expect((await call('https://new.example')).headers.get('Access-Control-Allow-Origin')).toBeNull()
  })

  it('allows no origin when the list is empty or unset', async () => {
    expect((await call('https://shop.example', {}, '')).headers.get('Access-Control-Allow-Origin')).toBeNull()
    const unset = await app.request('/api/v1/products', { headers: { Origin: 'https://shop.example' } }, {} as GatewayEnv['Bindings'])
    expect(unset.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })
})
