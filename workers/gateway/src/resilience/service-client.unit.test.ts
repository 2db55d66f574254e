import { describe, expect, it } from 'vitest'
import type { BreakerClient } from '../../../../durable-objects/circuit-breaker/client'
import { DEFAULT_BREAKER_CONFIG } from '../../../../durable-objects/circuit-breaker/config'
import { initialState, snapshotOf, transition, type BreakerState } from '../../../../durable-objects/circuit-breaker/state-machine'
import { settleState } from '../../../../durable-objects/circuit-breaker/tally'
import { BreakerGate, type Defer } from './breaker-gate'
import { createRetryBudget } from './budget'
import { createBulkhead } from './bulkhead'
import { DEFAULT_RETRY } from './retry'
import { createServiceClient, type UpstreamRequest } from './service-client'

/** A breaker Durable Object in memory, over the real state machine, counting round trips. */
function memoryBreakers(clock: { now(): number }) {
  let state: BreakerState = initialState()
  const trips = { acquire: 0, report: 0, snapshot: 0 }
  const config = { ...DEFAULT_BREAKER_CONFIG, openMs: 1_000 }
  const apply = (event: Parameters<typeof transition>[1]) => {
    const next = transition(state, event, clock.now(), config)
    state = next.state
    return next
  }
  const client: BreakerClient = {
    acquire: async () => (trips.acquire++, apply({ type: 'acquire' }).decision!),
    settle: async (_service, batch) => {
      trips.report++
      state = settleState(state, batch, clock.now(), config)
      return snapshotOf(state, clock.now())
    },
    snapshot: async () => (trips.snapshot++, apply({ type: 'tick' }), snapshotOf(state, clock.now())),
  }
  return {
    client,
    trips,
    get state() {
      return state
    },
  }
}

/** A fake downstream: answers from a script, one entry per call; counts calls. */
function downstream(script: Array<number | 'network' | 'hang' | { status: number; retryAfter: string }>) {
  const calls: string[] = []
  const fetcher = {
    async fetch(_url: string, init: RequestInit) {
      calls.push(init.method ?? 'GET')
      const next = script[Math.min(calls.length - 1, script.length - 1)]!
      if (next === 'network') throw new Error('connection reset')
      if (next === 'hang')
        return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)))
      if (typeof next === 'number') return new Response(null, { status: next })
      return new Response(null, { status: next.status, headers: { 'Retry-After': next.retryAfter } })
    },
  } as unknown as Fetcher
  return { fetcher, calls }
}

function setup(options: { capacity?: number; timeoutMs?: number; deadlineMs?: number } = {}) {
  let now = 0
  const clock = { now: () => now }
  const sleeps: number[] = []
  const breakers = memoryBreakers(clock)
  const work: Promise<unknown>[] = []
  const defer: Defer = (promise) => void work.push(promise)
  const send = createServiceClient({
    service: 'payments',
    options: { timeoutMs: options.timeoutMs ?? 1_000, deadlineMs: options.deadlineMs ?? 10_000, retry: DEFAULT_RETRY },
    bulkhead: createBulkhead(options.capacity ?? 10),
    gate: new BreakerGate('payments', breakers.client, { refreshMs: 1_000, maxStaleMs: 10_000, reportDelayMs: 250 }, clock, async () => {}),
    budget: createRetryBudget({ ratio: 0.1, minRetries: 10, windowMs: 10_000, buckets: 10 }, clock),
    clock,
    sleep: async (ms) => {
      sleeps.push(ms)
      now += ms
    },
    random: () => 0.5,
  })
  const request = (method = 'GET'): UpstreamRequest => ({
    method,
    url: 'https://payments.internal/api/v1/payments',
    headers: new Headers(),
    body: null,
  })
  return {
    send: (fetcher: Fetcher, method?: string) => send(fetcher, request(method), defer),
    settle: () => Promise.all(work.splice(0)),
    breakers,
    sleeps,
    advance: (ms: number) => void (now += ms),
  }
}

describe('service client: retries', () => {
  it('retries a GET on 503 after a full-jitter backoff, and answers the success', async () => {
    const client = setup()
    const { fetcher, calls } = downstream([503, 503, 200])
    const result = await client.send(fetcher)
    expect(result).toMatchObject({ ok: true, response: { status: 200 } })
    expect(calls).toHaveLength(3)
    expect(client.sleeps).toEqual([25, 50])
  })

  it('never retries a POST, even on a retryable failure', async () => {
    const client = setup()
    const { fetcher, calls } = downstream([503, 200])
    const result = await client.send(fetcher, 'POST')
    expect(result).toMatchObject({ ok: true, response: { status: 503 } })
    expect(calls).toEqual(['POST'])
  })

  it('honours Retry-After: waits at least that long before the retry', async () => {
    const client = setup()
    const { fetcher, calls } = downstream([{ status: 503, retryAfter: '2' }, 200])
    expect(await client.send(fetcher)).toMatchObject({ ok: true, response: { status: 200 } })
    expect(calls).toHaveLength(2)
    expect(client.sleeps).toEqual([2_000])
  })

  it('does not retry when Retry-After points past the deadline: the 503 goes back as it is', async () => {
    const client = setup({ deadlineMs: 3_000 })
    const { fetcher, calls } = downstream([{ status: 503, retryAfter: '5' }, 200])
    const result = await client.send(fetcher)
    expect(result.ok && result.response.headers.get('Retry-After')).toBe('5')
    expect(calls).toHaveLength(1)
  })

  it('does not retry a 500 or a 4xx', async () => {
    for (const status of [500, 404]) {
      const client = setup()
      const { fetcher, calls } = downstream([status, 200])
      expect(await client.send(fetcher)).toMatchObject({ ok: true, response: { status } })
      expect(calls).toHaveLength(1)
    }
  })

  it('answers 503 service_unavailable after network errors, and 504 gateway_timeout after timeouts', async () => {
    const network = setup()
    expect(await network.send(downstream(['network']).fetcher)).toMatchObject({ ok: false, error: { code: 'service_unavailable' } })
    const hung = setup({ timeoutMs: 20 })
    const { fetcher, calls } = downstream(['hang'])
    expect(await hung.send(fetcher)).toMatchObject({ ok: false, error: { code: 'gateway_timeout' } })
    expect(calls).toHaveLength(3)
  })
})

describe('service client: bulkhead', () => {
  it('refuses a call over the cap at once with 503 and Retry-After', async () => {
    const client = setup({ capacity: 1, timeoutMs: 50 })
    const held = client.send(downstream(['hang']).fetcher, 'POST')
    const refused = await client.send(downstream([200]).fetcher)
    expect(refused).toEqual({
      ok: false,
      error: { code: 'service_unavailable', detail: 'Too many calls to payments in flight.' },
      retryAfterMs: 1_000,
    })
    await held
    expect(await client.send(downstream([200]).fetcher)).toMatchObject({ ok: true })
  })
})

describe('service client: circuit breaker through the isolate copy', () => {
  it('admits calls while closed without a breaker round trip, reporting after the response', async () => {
    const client = setup()
    const { fetcher } = downstream([200])
    await client.send(fetcher) // the first call of an isolate asks the breaker
    await client.settle()
    for (let i = 0; i < 5; i += 1) await client.send(fetcher)
    await client.settle()
    expect(client.breakers.trips.acquire).toBe(1)
    expect(client.breakers.state).toMatchObject({
      status: 'closed',
      calls: ['success', 'success', 'success', 'success', 'success', 'success'],
    })
  })

  it('once open, refuses locally until its retry time, then probes through the breaker and closes', async () => {
    const client = setup()
    const failing = downstream([500])
    for (let i = 0; i < 10; i += 1) {
      await client.send(failing.fetcher, 'POST')
      await client.settle()
    }
    expect(client.breakers.state.status).toBe('open')
    const acquires = client.breakers.trips.acquire
    const refused = await client.send(failing.fetcher)
    expect(refused).toMatchObject({ ok: false, error: { code: 'service_unavailable' }, retryAfterMs: 1_000 })
    expect(failing.calls).toHaveLength(10)
    expect(client.breakers.trips.acquire).toBe(acquires) // decided locally
    client.advance(1_000)
    const healthy = downstream([200])
    for (let i = 0; i < 3; i += 1) {
      expect(await client.send(healthy.fetcher)).toMatchObject({ ok: true })
      await client.settle()
    }
    expect(client.breakers.state.status).toBe('closed')
  })

  it('half-open with every probe out: refuses with a Retry-After of at most a second', async () => {
    const client = setup()
    for (let i = 0; i < 10; i += 1) {
      await client.send(downstream([500]).fetcher, 'POST')
      await client.settle()
    }
    client.advance(1_000)
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const slow = { fetch: async () => (await held, new Response(null, { status: 200 })) } as unknown as Fetcher
    const probes = [client.send(slow), client.send(slow), client.send(slow)]
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(await client.send(slow)).toMatchObject({ ok: false, error: { code: 'service_unavailable' }, retryAfterMs: 1_000 })
    release()
    expect((await Promise.all(probes)).every((result) => result.ok)).toBe(true)
    await client.settle()
    expect(client.breakers.state.status).toBe('closed')
  })
})
