import { outcomeForStatus, type Outcome } from '../../../../durable-objects/circuit-breaker/state-machine'
import type { AppError } from '../../../../shared-contracts/errors'
import type { BreakerGate, Defer } from './breaker-gate'
import type { Bulkhead } from './bulkhead'
import type { RetryBudget } from './budget'
import { isRetryable, parseRetryAfter, retryDelay, type AttemptResult, type RetryOptions } from './retry'
import { isTimeout, withTimeout } from '../../../../platform/resilience/timeout'
import type { Clock, Sleep } from './timing'
import { spanEvent } from '../../../../platform/telemetry/trace-context'
import { PROBLEM_CONTENT_TYPE } from '../../../../platform/errors/problem'

export interface UpstreamRequest {
  method: string
  url: string
  headers: Headers
  /** Must be replayable (not a stream) for a method that may be retried. */
  body: BodyInit | null
}

/** The service's own response (whatever its status), or why the gateway answers instead. */
export type UpstreamResult = { ok: true; response: Response } | { ok: false; error: AppError; retryAfterMs: number | null }

export interface ServiceClientOptions {
  /** One attempt's time. */
  timeoutMs: number
  /** The whole call's time, retries and their waits included. */
  deadlineMs: number
  retry: RetryOptions
}

export interface ServiceClientParts {
  service: string
  options: ServiceClientOptions
  bulkhead: Bulkhead
  gate: BreakerGate
  budget: RetryBudget
  clock: Clock
  sleep: Sleep
  random: () => number
}

type Attempt = { result: AttemptResult; response?: Response }

/** One call with its own timeout: the answer, or how it failed (a timeout, the network). */
export async function attempt(fetcher: Fetcher, request: UpstreamRequest, timeoutMs: number, now: number): Promise<Attempt> {
  try {
    const { method, url, headers, body } = request
    const response = await withTimeout(timeoutMs, (signal) => fetcher.fetch(url, { method, headers, body, signal }))
    const { status } = response
    const dependency = status === 503 && (await isDependencyAnswer(response))
    // Retry-After only matters to a retryable answer; other answers skip the header lookup.
    const retryAfterMs = isRetryable({ kind: 'response', status, retryAfterMs: null, dependency })
      ? parseRetryAfter(response.headers.get('Retry-After'), now)
      : null
    return { result: { kind: 'response', status, retryAfterMs, dependency }, response }
  } catch (error) {
    return { result: isTimeout(error) ? { kind: 'timeout' } : { kind: 'network' } }
  }
}

/**
 * Whether a 503 is the service saying "a service I depend on is unavailable" (problem code
 * `dependency_unavailable`): read from a copy of the (small) problem body, only for 503s.
 */
async function isDependencyAnswer(response: Response): Promise<boolean> {
  if (!response.headers.get('Content-Type')?.startsWith(PROBLEM_CONTENT_TYPE)) return false
  try {
    const body = (await response.clone().json()) as { code?: unknown }
    return body.code === 'dependency_unavailable'
  } catch {
    return false
  }
}

/** A dependency's outage is the service answering as it should: never charged to its own breaker. */
const outcomeOf = (result: AttemptResult): Outcome =>
  result.kind !== 'response' ? 'failure' : result.dependency ? 'success' : outcomeForStatus(result.status)

/** An attempt as the client's result: the answer, or 504 `gateway_timeout` / 503 `service_unavailable`. */
export function failed({ result, response }: Attempt, service: string): UpstreamResult {
  if (response) return { ok: true, response }
  return result.kind === 'timeout'
    ? { ok: false, error: { code: 'gateway_timeout', detail: `${service} did not answer in time.` }, retryAfterMs: null }
    : { ok: false, error: { code: 'service_unavailable', detail: `${service} could not be reached.` }, retryAfterMs: null }
}

/**
 * Calls one downstream through the policies, outermost first: bulkhead → (breaker → timeout →
 * attempt) repeated by the retry policy within the deadline. A breaker probe is never retried:
 * its one result is what the breaker asked for.
 */
export function createServiceClient(parts: ServiceClientParts) {
  const { service, options, bulkhead, gate, budget, clock } = parts
  // The span event of an ordinary admission, made once (the tracer copies what it keeps).
  const admitted = { 'breaker.service': service, 'breaker.allowed': true, 'breaker.probe': false }
  return async function send(fetcher: Fetcher, request: UpstreamRequest, defer: Defer): Promise<UpstreamResult> {
    const release = bulkhead.tryEnter()
    if (!release)
      return { ok: false, error: { code: 'service_unavailable', detail: `Too many calls to ${service} in flight.` }, retryAfterMs: 1_000 }
    try {
      budget.recordCall()
      const deadline = clock.now() + options.deadlineMs
      for (let attempts = 1; ; attempts += 1) {
        const pending = gate.admit(defer)
        const admission = pending instanceof Promise ? await pending : pending
        spanEvent(
          'circuit_breaker.decision',
          admission.allowed && !admission.probe
            ? admitted
            : {
                'breaker.service': service,
                'breaker.allowed': admission.allowed,
                ...(admission.allowed ? { 'breaker.probe': admission.probe } : { 'breaker.retry_after_ms': admission.retryAfterMs }),
              },
        )
        if (!admission.allowed) {
          return {
            ok: false,
            error: { code: 'service_unavailable', detail: `${service} is failing; its circuit breaker is open.` },
            retryAfterMs: admission.retryAfterMs,
          }
        }
        const remaining = deadline - clock.now()
        const outcome = await attempt(fetcher, request, Math.max(1, Math.min(options.timeoutMs, remaining)), clock.now())
        gate.record(admission.permit, outcomeOf(outcome.result), defer)
        const delay = admission.probe
          ? null
          : retryDelay(
              { method: request.method, attempts, result: outcome.result, remainingMs: deadline - clock.now() },
              options.retry,
              budget,
              parts.random,
            )
        if (delay === null) return failed(outcome, service)
        await outcome.response?.body?.cancel()
        await parts.sleep(delay)
      }
    } finally {
      release()
    }
  }
}
export type ServiceClient = ReturnType<typeof createServiceClient>
