import { env } from 'cloudflare:workers'
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { rateLimiterClient } from './client'
import type { GcraState } from './gcra'
import { IDLE_DELETE_MS, type RateLimiter } from './rate-limiter'

// The gateway hosts the RateLimiter, so its tests run in the gateway project (vitest.config.ts).
const namespace = env.RATE_LIMITER
const limiter = rateLimiterClient(namespace)
// Long periods: nothing refills while a test runs, so counts are exact.
const HOUR = 3_600_000
const key = () => crypto.randomUUID()
const stubFor = (policy: string, name: string) => namespace.get(namespace.idFromName(`${policy}:${name}`))

describe('RateLimiter Durable Object', () => {
  it('admits exactly the limit out of 1000 parallel takes against a limit of 100', async () => {
    const name = key()
    const decisions = await Promise.all(Array.from({ length: 1000 }, () => limiter.take('test', name, { limit: 100, periodMs: HOUR })))
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(100)
    expect(
      decisions
        .filter((decision) => decision.allowed)
        .map((decision) => decision.remaining)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 100 }, (_, i) => i))
    const refused = decisions.find((decision) => !decision.allowed)
    expect(refused).toMatchObject({ remaining: 0 })
    expect(refused!.retryAfterMs).toBeGreaterThan(0)
  })

  it('never grants more than the limit to leases: 200 parallel takes asking 4 extra units each against 102', async () => {
    const name = key()
    const grants = await Promise.all(
      Array.from({ length: 200 }, () => limiter.take('test', name, { limit: 102, periodMs: HOUR, extra: 4 })),
    )
    const units = grants.reduce((sum, grant) => sum + (grant.allowed ? 1 + grant.extra : 0), 0)
    expect(units).toBe(102)
    // 20 takes of 5 units, then one whose extra is cut to the 1 unit left beyond its own; nothing after it.
    expect(
      grants
        .filter((grant) => grant.allowed)
        .map((grant) => grant.extra)
        .sort(),
    ).toEqual([1, ...Array.from({ length: 20 }, () => 4)])
    expect(grants.filter((grant) => !grant.allowed).every((grant) => grant.extra === 0 && grant.remaining === 0)).toBe(true)
  })

  it('takes back refunded units, and a lease refill (cost 0) takes only what is there', async () => {
    const name = key()
    const policy = { limit: 10, periodMs: HOUR }
    expect(await limiter.take('test', name, { ...policy, extra: 9 })).toMatchObject({ allowed: true, extra: 9, remaining: 0 })
    expect(await limiter.take('test', name, policy)).toMatchObject({ allowed: false, remaining: 0 })
    expect(await limiter.take('test', name, { ...policy, refund: 3 })).toMatchObject({ allowed: true, remaining: 2 })
    expect(await limiter.take('test', name, { ...policy, cost: 0, extra: 5 })).toMatchObject({ allowed: true, extra: 2, remaining: 0 })
    expect(await limiter.take('test', name, { ...policy, cost: 0, extra: 5 })).toMatchObject({ allowed: true, extra: 0, remaining: 0 })
  })

  it('keeps the window when the object is evicted mid-window', async () => {
    const name = key()
    const policy = { limit: 5, periodMs: HOUR }
    for (const remaining of [4, 3, 2]) expect(await limiter.take('test', name, policy)).toMatchObject({ allowed: true, remaining })
    const stub = stubFor('test', name)
    const stored = await runInDurableObject(stub, async (_instance: RateLimiter, state) => state.storage.get<GcraState>('gcra'))
    expect(stored?.tat).toBeGreaterThan(Date.now())

    await evictDurableObject(stub)

    expect(await limiter.take('test', name, policy)).toMatchObject({ allowed: true, remaining: 1 })
    expect(await limiter.take('test', name, policy)).toMatchObject({ allowed: true, remaining: 0 })
    expect(await limiter.take('test', name, policy)).toMatchObject({ allowed: false, remaining: 0 })
  })

  it('counts each policy and key on its own', async () => {
    const name = key()
    const policy = { limit: 1, periodMs: HOUR }
    expect((await limiter.take('auth', name, policy)).allowed).toBe(true)
    expect((await limiter.take('auth', name, policy)).allowed).toBe(false)
    expect((await limiter.take('anonymous', name, policy)).allowed).toBe(true)
    expect((await limiter.take('auth', key(), policy)).allowed).toBe(true)
  })

  it('never admits a cost larger than the burst, and does not spend anything refusing it', async () => {
    const name = key()
    const refused = await limiter.take('test', name, { limit: 3, periodMs: HOUR, cost: 4 })
    expect(refused).toMatchObject({ allowed: false, remaining: 3, retryAfterMs: Number.POSITIVE_INFINITY })
    expect(await limiter.take('test', name, { limit: 3, periodMs: HOUR, cost: 3 })).toMatchObject({ allowed: true, remaining: 0 })
  })

  it('deletes its own storage once the key has been idle for the idle period, and starts afresh after', async () => {
    const name = key()
    const policy = { limit: 2, periodMs: HOUR }
    expect(await limiter.take('test', name, policy)).toMatchObject({ allowed: true, remaining: 1 })
    const stub = stubFor('test', name)
    // As if the last take were long ago: its TAT (quota whole again) more than the idle period back.
    await runInDurableObject(stub, (_instance: RateLimiter, state) =>
      state.storage.put('gcra', { tat: Date.now() - IDLE_DELETE_MS - 1_000 }),
    )
    await evictDurableObject(stub)

    expect(await runDurableObjectAlarm(stub)).toBe(true)

    const left = await runInDurableObject(stub, async (_instance: RateLimiter, state) => ({
      keys: [...(await state.storage.list()).keys()],
      alarm: await state.storage.getAlarm(),
    }))
    expect(left).toEqual({ keys: [], alarm: null })
    expect(await limiter.take('test', name, policy)).toMatchObject({ allowed: true, remaining: 1 })
  })

  it('keeps a key with recent traffic when its alarm fires, and looks again an idle period after its TAT', async () => {
    const name = key()
    const policy = { limit: 2, periodMs: HOUR }
    await limiter.take('test', name, policy)
    const stub = stubFor('test', name)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const kept = await runInDurableObject(stub, async (_instance: RateLimiter, state) => ({
      stored: await state.storage.get<GcraState>('gcra'),
      alarm: await state.storage.getAlarm(),
    }))
    expect(kept.stored?.tat).toBeGreaterThan(Date.now())
    expect(kept.alarm).toBe(kept.stored!.tat + IDLE_DELETE_MS)
    expect(await limiter.take('test', name, policy)).toMatchObject({ allowed: true, remaining: 0 })
  })
})
