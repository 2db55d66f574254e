import { fullJitter } from '../../platform/resilience/backoff'

// When a saga retries a call that failed transiently, and when it stops. Pure: the time and the
// random number are given.

export interface RetryPolicy {
  /**
   * How long a step is retried, measured from its first attempt: a retry that would fall past
   * it is not made; the step fails and the saga compensates (`saga_failed`). Long enough to ride
   * out a short outage of the callee while the order stays `pending`.
   */
  horizonMs: number
  /** No wait between two attempts of a step before the pivot is longer (full jitter below it). */
  retryCapMs: number
  /**
   * Attempts per compensation and of the finalize step before giving up; the pivot and the steps
   * after it get at least these many too (and the horizon). Giving up here is no clean way out
   * but a saga `failed` for an operator, so these ride out a longer outage.
   */
  undoAttempts: number
  /**
   * The step past which the saga can only go forward: an attempt of it whose answer was lost may
   * have taken effect that no compensation undoes, so it (and every step after it) is retried
   * until both its `undoAttempts` and the horizon are spent.
   */
  pivot?: string
  /** The first retry waits up to this. */
  baseDelayMs: number
  /** No wait of a compensation, the finalize or the pivot is longer. */
  maxDelayMs: number
}

/** Exponential backoff with jitter: base × 2^(attempt − 1), capped, then scaled by 0.5–1. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(exponential * (0.5 + random / 2))
}

/** Where a step stands on its retry schedule. */
export interface StepSchedule {
  /** Attempts made so far. */
  attempts: number
  /** When its first attempt started (ms since the epoch): the horizon counts from there. */
  firstAt: number
  /** Whether it is the pivot or after it. */
  pivotal: boolean
}

/**
 * The wait after the step's `attempts`-th attempt failed: from the pivot on, the compensations'
 * backoff; before it, full jitter in [0, min(retryCapMs, base × 2^(attempts − 1))), so that the
 * sagas of one outage do not come back in lockstep.
 */
export function stepWaitMs(policy: RetryPolicy, { attempts, pivotal }: StepSchedule, random: number): number {
  if (pivotal) return backoffMs(policy, attempts, random)
  return fullJitter(Math.max(0, attempts - 1), { baseMs: policy.baseDelayMs, capMs: policy.retryCapMs }, () => random)
}

/** Whether an attempt due at `due` may still be made. */
export function withinBudget(policy: RetryPolicy, { attempts, firstAt, pivotal }: StepSchedule, due: number): boolean {
  return (pivotal && attempts < policy.undoAttempts) || due <= firstAt + policy.horizonMs
}

/**
 * When the next attempt of a step that just failed transiently is due, or null: it would fall
 * past its budget. `lastDue` is when the failed attempt was due: the schedule runs on from
 * there or from now, whichever is later (an alarm may come early in tests, late in production).
 */
export function nextAttemptAt(policy: RetryPolicy, schedule: StepSchedule, lastDue: number, now: number, random: number): number | null {
  const due = Math.max(now, lastDue) + stepWaitMs(policy, schedule, random)
  return withinBudget(policy, schedule, due) ? due : null
}
