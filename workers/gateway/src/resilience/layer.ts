import { positiveIntVar } from '../../../../platform/env/vars'
import { breakerClient, type BreakerClient } from '../../../../durable-objects/circuit-breaker/client'
import type { CircuitBreaker } from '../../../../durable-objects/circuit-breaker/circuit-breaker'
import { BreakerGate, DEFAULT_GATE } from './breaker-gate'
import { createBulkhead } from './bulkhead'
import { createRetryBudget, DEFAULT_RETRY_BUDGET } from './budget'
import { DEFAULT_RETRY } from './retry'
import { createServiceClient, type ServiceClient, type ServiceClientOptions } from './service-client'
import { sleep, systemClock } from './timing'

/** The gateway vars the resilience layer reads (all optional but the binding). */
export interface ResilienceBindings {
  CIRCUIT_BREAKERS: DurableObjectNamespace<CircuitBreaker>
  /** `off` forwards with a plain fetch and a timeout (the benchmark's baseline); on otherwise. */
  RESILIENCE?: string
  /** One attempt's timeout (default 5000). */
  UPSTREAM_TIMEOUT_MS?: string
  /** A call's overall deadline, retries included (default 10000). */
  UPSTREAM_DEADLINE_MS?: string
  /** The bulkhead: calls in flight per downstream and isolate (default 100). */
  UPSTREAM_MAX_CONCURRENT?: string
}

/**
 * Reads and writes of a service fail differently (a write path waits on dependencies and locks;
 * a read path usually does not), so each downstream has one breaker per class: a failing write
 * path never refuses that service's reads (docs/adr/0048).
 */
export const ROUTE_CLASSES = ['read', 'write'] as const
export type RouteClass = (typeof ROUTE_CLASSES)[number]

/** GET and HEAD read; every other method writes. */
export const routeClass = (method: string): RouteClass => (method === 'GET' || method === 'HEAD' ? 'read' : 'write')

/** The breaker object of one downstream and class: `CIRCUIT_BREAKERS.idFromName(breakerName(...))`. */
export const breakerName = (service: string, klass: RouteClass) => `${service}:${klass}`

export interface Resilience {
  options: ServiceClientOptions
  breakers: BreakerClient
  /** The client of one downstream and route class: its bulkhead, breaker copy and retry budget live as long as the isolate. */
  client(service: string, klass: RouteClass): ServiceClient
}

function build(env: ResilienceBindings): Resilience {
  const options: ServiceClientOptions = {
    timeoutMs: positiveIntVar('UPSTREAM_TIMEOUT_MS', env.UPSTREAM_TIMEOUT_MS, 5_000),
    deadlineMs: positiveIntVar('UPSTREAM_DEADLINE_MS', env.UPSTREAM_DEADLINE_MS, 10_000),
    retry: DEFAULT_RETRY,
  }
  const capacity = positiveIntVar('UPSTREAM_MAX_CONCURRENT', env.UPSTREAM_MAX_CONCURRENT, 100)
  const breakers = breakerClient(env.CIRCUIT_BREAKERS)
  const clients = new Map<string, ServiceClient>()
  // The bulkhead guards the downstream's capacity, so its reads and writes share one.
  const bulkheads = new Map<string, ReturnType<typeof createBulkhead>>()
  const bulkheadOf = (service: string) => {
    let bulkhead = bulkheads.get(service)
    if (!bulkhead) {
      bulkhead = createBulkhead(capacity)
      bulkheads.set(service, bulkhead)
    }
    return bulkhead
  }
  return {
    options,
    breakers,
    client(service, klass) {
      if (env.RESILIENCE === 'off') return plainClient
      const name = breakerName(service, klass)
      let client = clients.get(name)
      if (!client) {
        client = createServiceClient({
          service,
          options,
          bulkhead: bulkheadOf(service),
          gate: new BreakerGate(name, breakers, DEFAULT_GATE, systemClock, sleep),
          budget: createRetryBudget(DEFAULT_RETRY_BUDGET, systemClock),
          clock: systemClock,
          sleep,
          random: Math.random,
        })
        clients.set(name, client)
      }
      return client
    },
  }
}

/** A plain call's one attempt with RESILIENCE=off (the benchmark's baseline). */
const PLAIN_TIMEOUT_MS = 10_000

/**
 * The layer switched off: one plain attempt with a timeout — no bulkhead, breaker, retry or
 * budget — answering in the same shape, so the forwarding path is one path either way.
 */
const plainClient: ServiceClient = async (fetcher, { method, url, headers, body }) => {
  try {
    return { ok: true, response: await fetcher.fetch(url, { method, headers, body, signal: AbortSignal.timeout(PLAIN_TIMEOUT_MS) }) }
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
    return { ok: false, error: { code: timedOut ? 'gateway_timeout' : 'service_unavailable' }, retryAfterMs: null }
  }
}

/** Per isolate: bulkheads count this isolate's calls, and the breaker copies are this isolate's. */
let isolate: { key: string; layer: Resilience } | null = null

/** The layer for this configuration (built once per isolate; a bad var throws here, on first use). */
export function resilience(env: ResilienceBindings): Resilience {
  const key = [env.RESILIENCE, env.UPSTREAM_TIMEOUT_MS, env.UPSTREAM_DEADLINE_MS, env.UPSTREAM_MAX_CONCURRENT].join('|')
  if (isolate?.key !== key) isolate = { key, layer: build(env) }
  return isolate.layer
}
