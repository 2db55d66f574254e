// Calls straight into the gateway's fetch handler (not through `exports`), so a test can vary its
// vars per request and wait for its after-response work; and helpers for faults and breakers.
import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test'
import { expect } from 'vitest'
import type { CircuitBreaker } from '../../durable-objects/circuit-breaker/circuit-breaker'
import type { BreakerState } from '../../durable-objects/circuit-breaker/state-machine'
import type { ServiceName } from '../../shared-contracts/routes'
import gateway from '../../workers/gateway/src/index'
import type { Env } from '../../workers/gateway/src/env'
import { breakerName, ROUTE_CLASSES, type RouteClass } from '../../workers/gateway/src/resilience/layer'
import { bearer, send, uniqueIp } from './client'
import { BREAKER_SEVERITY } from '../../durable-objects/circuit-breaker/severity'

export const gatewayEnv: Env = env

/** One request through the gateway with `vars` over its own, waiting for its after-response work (the breaker reports) too. */
export async function gatewayRequest(
  path: string,
  init: RequestInit = {},
  vars: Partial<Env> = {},
): Promise<{ response: Response; ms: number }> {
  const ctx = createExecutionContext()
  const started = performance.now()
  const response = await gateway.fetch(new Request(`https://api.example${path}`, init), { ...gatewayEnv, ...vars }, ctx)
  const ms = performance.now() - started
  await waitOnExecutionContext(ctx)
  return { response, ms }
}

export async function setFault(token: string, service: ServiceName, fault: object): Promise<void> {
  const response = await send('PUT', `/api/v1/admin/faults/${service}`, fault, bearer(token))
  expect(response.status).toBe(200)
}

export const liftFault = (token: string, service: ServiceName) => setFault(token, service, { mode: 'none', rate: 0 })

/** One breaker's stored state (a downstream's reads or writes), as the gateway's object keeps it. */
export function classBreakerState(service: ServiceName, klass: RouteClass): Promise<BreakerState | undefined> {
  const stub = gatewayEnv.CIRCUIT_BREAKERS.get(gatewayEnv.CIRCUIT_BREAKERS.idFromName(breakerName(service, klass)))
  return runInDurableObject(stub, (_instance: CircuitBreaker, ctx) => ctx.storage.kv.get<BreakerState>('breaker'))
}

/** A downstream's breaker state: the worse of its read and write breakers (undefined if neither was ever used). */
export async function breakerState(service: ServiceName): Promise<BreakerState | undefined> {
  const states = (await Promise.all(ROUTE_CLASSES.map((klass) => classBreakerState(service, klass)))).filter((state) => state !== undefined)
  return states.sort((a, b) => BREAKER_SEVERITY[b.status] - BREAKER_SEVERITY[a.status])[0]
}

/** The calls the closed breakers of a downstream have counted: one per attempt that reached (or tried to reach) the service. */
export async function countedCalls(service: ServiceName): Promise<number> {
  const states = await Promise.all(ROUTE_CLASSES.map((klass) => classBreakerState(service, klass)))
  return states.reduce((sum, state) => sum + (state?.status === 'closed' ? state.calls.length : 0), 0)
}

const encoder = new TextEncoder()

/**
 * A body that sends `text` in `parts` pieces, one every `everyMs`; with `stall`, it sends the
 * first piece and then nothing, ever (until the reader cancels it). Timers stop on cancel.
 */
export function trickle(text: string, { parts = 4, everyMs = 100, stall = false } = {}): ReadableStream<Uint8Array> {
  const bytes = encoder.encode(text)
  const size = Math.ceil(bytes.length / parts)
  let offset = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      if (stall && offset > 0) return new Promise<void>(() => undefined)
      return new Promise<void>((resolve) => {
        timer = setTimeout(
          () => {
            controller.enqueue(bytes.slice(offset, offset + size))
            offset += size
            resolve()
          },
          offset === 0 ? 0 : everyMs,
        )
      })
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer)
    },
  })
}

export const slowInit = (body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): RequestInit =>
  ({
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': uniqueIp(), ...headers },
    duplex: 'half',
  }) as RequestInit
