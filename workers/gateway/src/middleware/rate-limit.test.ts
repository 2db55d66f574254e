import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { rateLimiterClient, type RateLimiterClient } from '../../../../durable-objects/rate-limiter/client'
import type { Principal } from '../../../../platform/auth/principal'
import { requestId } from '../../../../platform/http/request-id'
import { ROUTES, type Route } from '../../../../shared-contracts/routes'
import type { GatewayEnv, GatewayServices } from '../services'
import { rateLimit } from './rate-limit'
import type { RateLimitOptions } from './rate-limit-options'

const LOGIN = ROUTES.find((row) => row.path === '/api/v1/auth/login')!
const PRODUCTS = ROUTES.find((row) => row.path === '/api/v1/products' && row.method === 'GET')!
const ME = ROUTES.find((row) => row.path === '/api/v1/users/me' && row.method === 'GET')!
const SMALL = { auth: '2/3600', user: '3/3600', anonymous: '2/3600' }

const realLimiter = rateLimiterClient(env.RATE_LIMITER)
const downLimiter: RateLimiterClient = { take: () => Promise.reject(new Error('connection lost')) }
const silentLimiter: RateLimiterClient = { take: () => new Promise(() => {}) }
/** The real limiter, answering `ms` late. */
const lateLimiter = (ms: number): RateLimiterClient => ({
  take: (...args) => new Promise((resolve) => setTimeout(resolve, ms)).then(() => realLimiter.take(...args)),
})

/** The middleware alone, behind what the gateway sets before it (services, principal, route). */
function appWith(limiter: RateLimiterClient, route: Route, principal: Principal | null = null, options: RateLimitOptions = SMALL) {
  const app = new Hono<GatewayEnv>()
  app.use(requestId())
  app.use(async function context(c, next) {
    c.set('services', { rateLimiter: limiter } as unknown as GatewayServices)
    c.set('principal', principal)
    c.set('route', route)
    await next()
  })
  app.use(rateLimit(options))
  app.all('*', (c) => c.json({ ok: true }))
  return (ip: string) => app.request('/', { headers: { 'CF-Connecting-IP': ip } })
}

/** The real limiter, counting the Durable Object calls it makes. */
function countingLimiter() {
  const counting = {
    calls: 0,
    take: (...args: Parameters<RateLimiterClient['take']>) => {
      counting.calls += 1
      return realLimiter.take(...args)
    },
  }
  return counting
}

const remainingOf = (response: Response) => Number(/;r=(\d+);/.exec(response.headers.get('RateLimit') ?? '')?.[1])

const ip = () => `2001:db8::${crypto.randomUUID().slice(0, 4)}`

describe('rateLimit middleware', () => {
  it('counts against the configured policy and refuses with 429 once it is spent', async () => {
    const send = appWith(realLimiter, ME, { id: `usr_${crypto.randomUUID()}`, roles: ['customer'] })
    const answers = [await send(ip()), await send(ip()), await send(ip()), await send(ip())]
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200, 429])
    expect(answers.map((response) => response.headers.get('RateLimit'))).toEqual([
      '"user";r=2;t=1200',
      '"user";r=1;t=2400',
      '"user";r=0;t=3600',
      '"user";r=0;t=1200',
    ])
    expect(answers.every((response) => response.headers.get('RateLimit-Policy') === '"user";q=3;w=3600')).toBe(true)
    expect(answers[3]!.headers.get('Retry-After')).toBe('1200')
    expect(await answers[3]!.json()).toMatchObject({ code: 'quota_exceeded', status: 429 })
  })

  it('fails open where the route says so: the request passes, without RateLimit headers', async () => {
    const response = await appWith(downLimiter, PRODUCTS)(ip())
    expect(response.status).toBe(200)
    expect(response.headers.get('RateLimit')).toBeNull()
  })

  it('fails closed on login and register: 503 service_unavailable with Retry-After', async () => {
    const response = await appWith(downLimiter, LOGIN)(ip())
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('5')
    expect(await response.json()).toMatchObject({ code: 'service_unavailable' })
  })

  it('treats a limiter that does not answer within a second as unreachable', async () => {
    const started = Date.now()
    expect((await appWith(silentLimiter, LOGIN)(ip())).status).toBe(503)
    expect((await appWith(silentLimiter, PRODUCTS)(ip())).status).toBe(200)
    expect(Date.now() - started).toBeLessThan(4_000)
  })

  it('waits as long as RATE_LIMIT_TIMEOUT_MS says for a limiter that answers late', async () => {
    const late = lateLimiter(1_500)
    expect((await appWith(late, LOGIN)(ip())).status).toBe(503)
    expect((await appWith(late, LOGIN, null, { ...SMALL, timeoutMs: 5_000 })(ip())).status).toBe(200)
  })

  it('spends units leased to the isolate for a busy key: exact counts, far fewer limiter calls', async () => {
    const limiter = countingLimiter()
    // 600 an hour: a busy key's lease, and a refill only every 6 s, so the counts are exact on a slow machine too.
    const send = appWith(limiter, ME, { id: `usr_${crypto.randomUUID()}`, roles: ['customer'] }, { user: '600/3600' })
    const answers: Response[] = []
    for (let i = 0; i < 60; i += 1) answers.push(await send(ip()))
    expect(answers.every((response) => response.status === 200)).toBe(true)
    expect(answers.map(remainingOf)).toEqual(Array.from({ length: 60 }, (_, i) => 599 - i))
    expect(limiter.calls).toBeLessThan(30)
  })

  it('never admits more than the limit across isolates holding leases on one key', async () => {
    const principal: Principal = { id: `usr_${crypto.randomUUID()}`, roles: ['customer'] }
    const isolates = [appWith(realLimiter, ME, principal, { user: '100/3600' }), appWith(realLimiter, ME, principal, { user: '100/3600' })]
    const statuses: number[] = []
    for (let i = 0; i < 150; i += 1) statuses.push((await isolates[i % 3 === 0 ? 1 : 0]!(ip())).status)
    const admitted = statuses.filter((status) => status === 200).length
    // Each isolate may end holding up to 5 units (5 % of 100) it never spent; none is admitted twice.
    expect(admitted).toBeLessThanOrEqual(100)
    expect(admitted).toBeGreaterThanOrEqual(90)
    expect(statuses.slice(-10).every((status) => status === 429)).toBe(true)
  })
})
