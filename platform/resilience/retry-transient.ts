import type { AppError, ErrorCode, Result } from '../../shared-contracts/errors'
import { fullJitter, type BackoffOptions } from './backoff'

/**
 * The one definition of a transient error, for every caller that decides whether to try again
 * (pricing's catalog read, the saga's steps): the callee was unreachable, did not answer in
 * time, or failed on its side (5xx: `internal_error` too, since an idempotent call may succeed
 * on the next attempt), or its own dependency was (`dependency_unavailable`). Every other code is an answer — a refusal (`out_of_stock`,
 * `payment_declined`, `not_found`, `conflict`, a validation error) that the same call gets again.
 */
export const TRANSIENT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'internal_error',
  'provider_error',
  'service_unavailable',
  'gateway_timeout',
  'dependency_unavailable',
])

/** Whether retrying the call that failed with `error` may help. */
export const isTransient = (error: AppError): boolean => TRANSIENT_ERROR_CODES.has(error.code)

export interface RetryTransientOptions extends BackoffOptions {
  attempts: number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/**
 * Retries an idempotent call whose failure is transient (a transient error value, or a throw),
 * with full-jitter backoff. The last outcome is returned (or thrown) as it came.
 */
export async function retryTransient<T>(call: () => Promise<Result<T>>, options: RetryTransientOptions): Promise<Result<T>> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= options.attempts
    try {
      const result = await call()
      if (result.ok || !isTransient(result.error) || last) return result
    } catch (error) {
      if (last) throw error
    }
    await sleep(fullJitter(attempt - 1, options, options.random))
  }
}
