import { fullJitter, type BackoffOptions } from '../../../../platform/resilience/backoff'
import type { RetryBudget } from './budget'

/** How one attempt ended, as far as the policies care. */
export type AttemptResult =
  | {
      kind: 'response'
      status: number
      retryAfterMs: number | null
      /** A 503 `dependency_unavailable`: the service is healthy, one of its own dependencies is not. */
      dependency?: boolean
    }
  | { kind: 'timeout' }
  | { kind: 'network' }

export interface RetryOptions extends BackoffOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 3, baseMs: 50, capMs: 1_000 }

/** Methods that mean the same when sent twice (RFC 9110 §9.2.2). POST and PATCH are never retried. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE'])

export const isIdempotent = (method: string) => IDEMPOTENT.has(method.toUpperCase())

/** Failures worth another try: the call never got an answer, or a proxy/overload answer. */
export function isRetryable(result: AttemptResult): boolean {
  // A dependency's outage is not retried here: the service has already tried, and said when to come back.
  if (result.kind === 'response' && result.dependency) return false
  return result.kind !== 'response' || result.status === 502 || result.status === 503 || result.status === 504
}

/** `Retry-After` as delay-seconds or an HTTP date → ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

export interface RetryQuestion {
  method: string
  /** Attempts made so far (1 after the first). */
  attempts: number
  result: AttemptResult
  /** Time left before the call's overall deadline. */
  remainingMs: number
}

/**
 * Whether to try again, and after how long: null means answer with what we have. Only
 * idempotent methods, only retryable failures, never sooner than a `Retry-After`, never past the
 * deadline, and only while the retry budget lasts (asked last: asking spends it).
 */
export function retryDelay(
  question: RetryQuestion,
  options: RetryOptions,
  budget: RetryBudget,
  random: () => number = Math.random,
): number | null {
  const { method, attempts, result, remainingMs } = question
  if (!isIdempotent(method) || attempts >= options.maxAttempts || !isRetryable(result)) return null
  const backoff = fullJitter(attempts - 1, options, random)
  const delay = Math.max(backoff, result.kind === 'response' ? (result.retryAfterMs ?? 0) : 0)
  if (delay >= remainingMs) return null
  return budget.tryRetry() ? delay : null
}
