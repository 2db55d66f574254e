import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { GatewayEnv } from '../services'
import { rateLimit } from './rate-limit'
import { rateLimitOptionsFrom } from './rate-limit-options'

describe('RATE_LIMITING (the benchmarks’ baseline switch)', () => {
  it('turns limiting off only when set to exactly "off"', () => {
    expect(rateLimitOptionsFrom({ RATE_LIMITING: 'off' }).disabled).toBe(true)
    for (const value of [undefined, '', 'OFF', 'false', '0', 'on'])
      expect(rateLimitOptionsFrom({ RATE_LIMITING: value }).disabled).toBe(false)
  })

  it('when off, lets requests through without asking a limiter or adding RateLimit headers', async () => {
    // No route, principal or services in the context: a limiter that was consulted would throw.
    const app = new Hono<GatewayEnv>().use(rateLimit({ disabled: true, anonymous: '1/60' })).get('/', (c) => c.text('ok'))
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await app.request('/')
      expect(response.status).toBe(200)
      expect(response.headers.get('RateLimit')).toBeNull()
    }
  })
})
