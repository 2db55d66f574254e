import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { SERVICES } from '../../shared-contracts/routes'

const call = (path: string, init?: RequestInit) => exports.default.fetch(new Request(`https://api.example${path}`, init))

describe('gateway → users', () => {
  it('reports users healthy over the service binding', async () => {
    const response = await call('/health')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok', services: Object.fromEntries(SERVICES.map((service) => [service, 'ok'])) })
  })

  it('registers, logs in and reads the profile through the gateway', async () => {
    const email = `smoke-${crypto.randomUUID().slice(0, 8)}@example.com`
    const body = JSON.stringify({ email, password: 'a long enough password', name: 'Smoke' })
    const registered = await call('/api/v1/auth/register', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } })
    expect(registered.status).toBe(201)
    const login = await call('/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password: 'a long enough password' }),
      headers: { 'Content-Type': 'application/json' },
    })
    expect(login.status).toBe(200)
    const { access_token } = (await login.json()) as { access_token: string }
    const me = await call('/api/v1/users/me', { headers: { Authorization: `Bearer ${access_token}` } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ email, name: 'Smoke', roles: ['customer'] })
  })
})
