import { env, evictDurableObject, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { CircuitBreaker } from '../../durable-objects/circuit-breaker/circuit-breaker'
import { DEFAULT_BREAKER_CONFIG } from '../../durable-objects/circuit-breaker/config'
import type { BreakerState, Outcome, Permit } from '../../durable-objects/circuit-breaker/state-machine'
import { tallyOf, type ReportBatch } from '../../durable-objects/circuit-breaker/tally'

// The CircuitBreaker Durable Object as the gateway hosts it (the gateway is this project's main Worker).
const namespace = env.CIRCUIT_BREAKERS

function fresh(): DurableObjectStub<CircuitBreaker> {
  return namespace.get(namespace.idFromName(`test-${crypto.randomUUID()}`))
}

/** Puts the breaker straight into a state (as if it had got there on its own). */
async function seed(stub: DurableObjectStub<CircuitBreaker>, state: BreakerState): Promise<void> {
  await runInDurableObject(stub, (_instance: CircuitBreaker, ctx) => {
    ctx.storage.kv.put('breaker', state)
  })
}

/** An isolate's report of closed-breaker calls admitted on `generation`: one tally. */
const calls = (generation: number, outcomes: Outcome[]): ReportBatch => ({
  tallies: [tallyOf(generation, outcomes, DEFAULT_BREAKER_CONFIG)],
  probes: [],
})

/** An isolate's report of one half-open probe. */
const probe = (permit: Permit, outcome: Outcome): ReportBatch => ({ tallies: [], probes: [{ permit, outcome }] })

const failures = (n: number): Outcome[] => Array.from({ length: n }, () => 'failure')

describe('CircuitBreaker Durable Object', () => {
  it('opens after enough failures and answers how long to stay away', async () => {
    const stub = fresh()
    const permits = await Promise.all(Array.from({ length: 10 }, () => stub.acquire()))
    expect(permits.every((decision) => decision.allowed)).toBe(true)
    const generation = permits[0]!.allowed ? permits[0]!.permit.generation : -1
    const after = await stub.settle(calls(generation, failures(10)))
    expect(after).toMatchObject({ state: 'open', failureRate: 1 })
    expect(after.retryAfterMs).toBeGreaterThan(0)
    expect(await stub.acquire()).toMatchObject({ allowed: false, state: 'open' })
  })

  it('hands out exactly 3 probes to 50 concurrent acquires at the open → half-open edge', async () => {
    const stub = fresh()
    await seed(stub, { status: 'open', generation: 1, until: Date.now() - 1, openMs: 30_000, failureRate: 1 })
    const decisions = await Promise.all(Array.from({ length: 50 }, () => stub.acquire()))
    const probes = decisions.filter((decision) => decision.allowed)
    expect(probes).toHaveLength(3)
    expect(probes.map((decision) => (decision.allowed ? decision.permit.probe : null)).sort()).toEqual([1, 2, 3])
    expect(decisions.filter((decision) => !decision.allowed).every((decision) => decision.state === 'half_open')).toBe(true)
    // The three probes succeed: closed.
    for (const decision of probes) if (decision.allowed) await stub.settle(probe(decision.permit, 'success'))
    expect(await stub.snapshot()).toMatchObject({ state: 'closed', failureRate: 0 })
  })

  it('keeps its half-open state, issued probes included, across an eviction', async () => {
    const stub = fresh()
    await seed(stub, { status: 'open', generation: 4, until: Date.now() - 1, openMs: 30_000, failureRate: 1 })
    const first = await stub.acquire()
    const second = await stub.acquire()
    expect([first.allowed, second.allowed]).toEqual([true, true])
    await evictDurableObject(stub)
    expect(await stub.snapshot()).toMatchObject({ state: 'half_open', generation: 5 })
    expect(await stub.acquire()).toMatchObject({ allowed: true, permit: { generation: 5, probe: 3 } })
    expect(await stub.acquire()).toMatchObject({ allowed: false, state: 'half_open' })
    // A probe handed out before the eviction can still close it.
    await evictDurableObject(stub)
    for (const decision of [first, second]) if (decision.allowed) await stub.settle(probe(decision.permit, 'success'))
    expect(await stub.settle(probe({ generation: 5, probe: 3 }, 'success'))).toMatchObject({ state: 'closed' })
  })

  it('ignores a late result from before it opened', async () => {
    const stub = fresh()
    const slow = await stub.acquire()
    if (!slow.allowed) throw new Error('expected a permit')
    await stub.settle(calls(slow.permit.generation, failures(10)))
    const opened = await stub.snapshot()
    expect(opened.state).toBe('open')
    expect(await stub.settle(calls(slow.permit.generation, ['success']))).toEqual({ ...opened, retryAfterMs: expect.any(Number) })
    expect((await stub.snapshot()).generation).toBe(opened.generation)
  })
})
