import { breakerClient, type BreakerClient } from '../../../../durable-objects/circuit-breaker/client'
import type { CircuitBreaker } from '../../../../durable-objects/circuit-breaker/circuit-breaker'
import { BreakerGate, DEFAULT_GATE } from './breaker-gate'
import type { ResilienceConfig } from './config'
import { createBulkhead } from './bulkhead'
import { createRetryBudget, DEFAULT_RETRY_BUDGET } from './budget'
import { DEFAULT_RETRY } from './retry'
import { attempt, createServiceClient, failed, type ServiceClient, type ServiceClientOptions } from './service-client'
import { sleep, systemClock } from './timing'

/** The binding the resilience layer reads. */
export interface ResilienceBindings {
  CIRCUIT_BREAKERS: DurableObjectNamespace<CircuitBreaker>
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

function build(env: ResilienceBindings, config: ResilienceConfig): Resilience {
  const options: ServiceClientOptions = { timeoutMs: config.timeoutMs, deadlineMs: config.deadlineMs, retry: DEFAULT_RETRY }
  const capacity = config.maxConcurrent
  const breakers = breakerClient(env.CIRCUIT_BREAKERS)
  const clients = new Map<string, ServiceClient>()
  const plainClients = new Map<string, ServiceClient>()
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
      if (!config.enabled) {
        let plain = plainClients.get(service)
        if (!plain) {
          plain = plainClient(service)
          plainClients.set(service, plain)
        }
        return plain
      }
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
 * budget — answering in the same shape and with the same errors, so the forwarding path is one
 * path either way.
 */
const plainClient =
  (service: string): ServiceClient =>
  async (fetcher, request) =>
    failed(await attempt(fetcher, request, PLAIN_TIMEOUT_MS, Date.now()), service)

/** Per isolate: bulkheads count this isolate's calls, and the breaker copies are this isolate's. */
let isolate: { config: ResilienceConfig; layer: Resilience } | null = null

const sameResilience = (a: ResilienceConfig, b: ResilienceConfig) =>
  a.enabled === b.enabled && a.timeoutMs === b.timeoutMs && a.deadlineMs === b.deadlineMs && a.maxConcurrent === b.maxConcurrent

/**
 * The layer for these settings, built once per isolate and rebuilt only when they change (not
 * when some other var of the gateway does: the bulkheads and breaker copies would be lost).
 */
export function resilience(env: ResilienceBindings, config: ResilienceConfig): Resilience {
  if (!isolate || !sameResilience(isolate.config, config)) isolate = { config, layer: build(env, config) }
  return isolate.layer
}
