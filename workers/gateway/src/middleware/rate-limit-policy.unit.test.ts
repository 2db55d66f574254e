import { describe, expect, it } from 'vitest'
import type { Route } from '../../../../shared-contracts/routes'
import { ROUTES } from '../../../../shared-contracts/routes'
import { rateLimit } from './rate-limit'
import { DEFAULT_RATE_LIMITS, parsePolicy, rateLimitHeaders, subjectOf } from './rate-limit-policy'

const route = (path: string, method = 'POST'): Route => ROUTES.find((row) => row.path === path && row.method === method)!
const headers = (values: Record<string, string>) => new Headers(values)
const customer = { id: 'usr_1', roles: ['customer' as const] }

describe('parsePolicy', () => {
  it('reads "<limit>/<window seconds>" and renders the RateLimit-Policy header', () => {
    expect(parsePolicy('auth', '10/60')).toEqual({
      name: 'auth',
      limit: 10,
      periodMs: 60_000,
      windowSeconds: 60,
      header: '"auth";q=10;w=60',
    })
    expect(parsePolicy('user', ' 600 / 60 ')).toMatchObject({ limit: 600, windowSeconds: 60 })
  })

  it.each(['', '10', '10/', '/60', '0/60', '10/0', '-1/60', '1.5/60', '10/60/1', 'ten/60'])('refuses %j', (setting) => {
    expect(() => parsePolicy('auth', setting)).toThrow(/rate limit "auth"/)
  })

  it('has the production defaults', () => {
    expect(DEFAULT_RATE_LIMITS).toEqual({ auth: '10/60', user: '600/60', anonymous: '120/60' })
  })
})

describe('rateLimit()', () => {
  it('fails at creation on invalid configuration, not on the first request', () => {
    expect(() => rateLimit({ user: '600 a minute' })).toThrow(/rate limit "user"/)
    expect(() => rateLimit({ auth: '0/60' })).toThrow()
    expect(() => rateLimit({})).not.toThrow()
    expect(() => rateLimit({ auth: undefined, user: '5/1' })).not.toThrow()
  })
})

describe('subjectOf', () => {
  it('counts login and register per CF-Connecting-IP, signed in or not', () => {
    const ip = headers({ 'CF-Connecting-IP': '203.0.113.7' })
    expect(subjectOf(route('/api/v1/auth/login'), null, ip)).toEqual({ policy: 'auth', key: '203.0.113.7' })
    expect(subjectOf(route('/api/v1/auth/register'), customer, ip)).toEqual({ policy: 'auth', key: '203.0.113.7' })
  })

  it('counts a signed-in caller per user id and an anonymous one per IP', () => {
    const ip = headers({ 'CF-Connecting-IP': '203.0.113.7' })
    expect(subjectOf(route('/api/v1/users/me', 'GET'), customer, ip)).toEqual({ policy: 'user', key: 'usr_1' })
    expect(subjectOf(route('/api/v1/products', 'GET'), null, ip)).toEqual({ policy: 'anonymous', key: '203.0.113.7' })
  })

  it('never reads X-Forwarded-For', () => {
    const spoofed = headers({ 'CF-Connecting-IP': '203.0.113.7', 'X-Forwarded-For': '198.51.100.1' })
    expect(subjectOf(route('/api/v1/auth/login'), null, spoofed).key).toBe('203.0.113.7')
    expect(subjectOf(route('/api/v1/auth/login'), null, headers({ 'X-Forwarded-For': '198.51.100.1' })).key).toBe('unknown')
  })
})

/** The routes that take a credential (a password or a refresh token): counted like login. */
const CREDENTIAL_ROUTES = [
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'DELETE /api/v1/users/me',
  'POST /api/v1/users/me/password',
]

describe('the route table', () => {
  it('puts login and register under the auth policy and fails them closed', () => {
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/register'])
      expect(route(path)).toMatchObject({ rateLimit: 'auth', limiter: 'fail-closed' })
    const credentials = ROUTES.filter((row) => CREDENTIAL_ROUTES.includes(`${row.method} ${row.path}`))
    expect(credentials).toHaveLength(CREDENTIAL_ROUTES.length)
    for (const row of credentials) expect(row).toMatchObject({ rateLimit: 'auth', limiter: 'fail-closed' })
  })

  it('fails every other route open', () => {
    const others = ROUTES.filter((row) => !CREDENTIAL_ROUTES.includes(`${row.method} ${row.path}`))
    expect(others.every((row) => row.limiter === undefined && row.rateLimit === undefined)).toBe(true)
  })
})

describe('rateLimitHeaders', () => {
  const auth = parsePolicy('auth', '10/60')

  it('answers the policy and what remains, with t the seconds until the quota is whole', () => {
    expect(rateLimitHeaders(auth, { allowed: true, remaining: 7, resetMs: 17_500, retryAfterMs: 0 })).toEqual({
      'RateLimit-Policy': '"auth";q=10;w=60',
      RateLimit: '"auth";r=7;t=18',
    })
  })

  it('when refusing, answers Retry-After rounded up, and t equal to it', () => {
    expect(rateLimitHeaders(auth, { allowed: false, remaining: 0, resetMs: 59_000, retryAfterMs: 5_001 })).toEqual({
      'RateLimit-Policy': '"auth";q=10;w=60',
      RateLimit: '"auth";r=0;t=6',
      'Retry-After': '6',
    })
  })

  it('never answers a Retry-After of 0', () => {
    expect(rateLimitHeaders(auth, { allowed: false, remaining: 0, resetMs: 60_000, retryAfterMs: 0.2 })['Retry-After']).toBe('1')
  })

  it('tells a request that can never pass to wait one whole window', () => {
    expect(
      rateLimitHeaders(auth, { allowed: false, remaining: 10, resetMs: 0, retryAfterMs: Number.POSITIVE_INFINITY })['Retry-After'],
    ).toBe('60')
  })
})
