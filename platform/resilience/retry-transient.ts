import type { Result } from '../../shared-contracts/errors'
import { fullJitter, type BackoffOptions } from './backoff'

/** Codes that say "try again": the callee was unreachable or briefly overwhelmed. */
const TRANSIENT = new Set(['service_unavailable', 'gateway_timeout', 'provider_error'])

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
      if (result.ok || !TRANSIENT.has(result.error.code) || last) return result
    } catch (error) {
      if (last) throw error
    }
    await sleep(fullJitter(attempt - 1, options, options.random))
  }
}
