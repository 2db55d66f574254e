import { env } from 'cloudflare:workers'
import { evictDurableObject, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Env } from '../../workers/gateway/src/env'
import { rateLimiterClient } from './client'
import type { GcraState } from './gcra'
import type { RateLimiter } from './rate-limiter'

// The gateway hosts the RateLimiter, so its tests run in the gateway project (vitest.config.ts).
const namespace = (env as unknown as Env).RATE_LIMITER
const limiter = rateLimiterClient(namespace)
// Long periods: nothing refills while a test runs, so counts are exact.
const HOUR = 3_600_000
const key = () => crypto.randomUUID()
const stubFor = (policy: string, name: string) => namespace.get(namespace.idFromName(`${policy}:${name}`))

describe('RateLimiter Durable Object', () => {
  it('admits exactly the limit out of 1000 parallel checks against a limit of 100', async () => {
    const name = key()
    const decisions = await Promise.all(Array.from({ length: 1000 }, () => limiter.check('test', name, { limit: 100, periodMs: HOUR })))
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(100)
    expect(decisions.filter((decision) => decision.allowed).map((decision) => decision.remaining).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    )
    const refused = decisions.find((decision) => !decision.allowed)
    expect(refused).toMatchObject({ remaining: 0 })
    expect(refused!.retryAfterMs).toBeGreaterThan(0)
  })

  it('keeps the window when the object is evicted mid-window', async () => {
    const name = key()
    const policy = { limit: 5, periodMs: HOUR }
    for (const remaining of [4, 3, 2]) expect(await limiter.check('test', name, policy)).toMatchObject({ allowed: true, remaining })
    const stub = stubFor('test', name)
    const stored = await runInDurableObject(stub, async (_instance: RateLimiter, state) => state.storage.get<GcraState>('gcra'))
    expect(stored?.tat).toBeGreaterThan(Date.now())

    await evictDurableObject(stub)

    expect(await limiter.check('test', name, policy)).toMatchObject({ allowed: true, remaining: 1 })
    expect(await limiter.check('test', name, policy)).toMatchObject({ allowed: true, remaining: 0 })
    expect(await limiter.check('test', name, policy)).toMatchObject({ allowed: false, remaining: 0 })
  })

  it('counts each policy and key on its own', async () => {
    const name = key()
    const policy = { limit: 1, periodMs: HOUR }
    expect((await limiter.check('auth', name, policy)).allowed).toBe(true)
    expect((await limiter.check('auth', name, policy)).allowed).toBe(false)
    expect((await limiter.check('anonymous', name, policy)).allowed).toBe(true)
    expect((await limiter.check('auth', key(), policy)).allowed).toBe(true)
  })

  it('never admits a cost larger than the burst, and does not spend anything refusing it', async () => {
    const name = key()
    const refused = await limiter.check('test', name, { limit: 3, periodMs: HOUR, cost: 4 })
    expect(refused).toMatchObject({ allowed: false, remaining: 3, retryAfterMs: Number.POSITIVE_INFINITY })
    expect(await limiter.check('test', name, { limit: 3, periodMs: HOUR, cost: 3 })).toMatchObject({ allowed: true, remaining: 0 })
  })
})
