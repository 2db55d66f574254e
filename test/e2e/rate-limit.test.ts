import { describe, expect, it } from 'vitest'
import { api, uniqueEmail, uniqueIp } from './client'

describe('rate limits (the production policies)', () => {
  it('answers repeated wrong logins from one client with 429 quota_exceeded, RateLimit headers and Retry-After', async () => {
    const client = { 'CF-Connecting-IP': uniqueIp() }
    const wrongLogin = () =>
      api('POST', '/api/v1/auth/login', {
        body: { email: uniqueEmail('guess'), password: 'not the password at all' },
        headers: client,
        rateLimited: 'return',
      })

    const first = await wrongLogin()
    expect(first.status).toBe(401)
    const policy = first.headers.get('RateLimit-Policy')
    const quota = Number(/^"auth";q=(\d+);w=60$/.exec(policy ?? '')?.[1])
    expect(quota, `RateLimit-Policy: ${policy}`).toBeGreaterThan(0)
    expect(first.headers.get('RateLimit')).toMatch(new RegExp(`^"auth";r=${quota - 1};t=\\d+$`))

    for (let i = 1; i < quota; i++) expect((await wrongLogin()).status).toBe(401)
    const limited = await wrongLogin()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('Content-Type')).toBe('application/problem+json')
    expect(limited.body).toMatchObject({ status: 429, code: 'quota_exceeded', type: '/problems/quota-exceeded' })
    expect(limited.headers.get('RateLimit-Policy')).toBe(policy)
    const retryAfter = Number(limited.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(limited.headers.get('RateLimit')).toBe(`"auth";r=0;t=${retryAfter}`)

    // Another client is not limited, and a forged X-Forwarded-For does not help the first.
    expect((await api('POST', '/api/v1/auth/login', { body: { email: uniqueEmail(), password: 'whatever it is' } })).status).toBe(401)
    const forged = await api('POST', '/api/v1/auth/login', {
      body: { email: uniqueEmail(), password: 'whatever it is' },
      headers: { ...client, 'X-Forwarded-For': uniqueIp() },
      rateLimited: 'return',
    })
    expect(forged.status).toBe(429)
  })
})
