import type { Saga, SagaStatus, StepStatus } from '../../shared-contracts/orders'
import { backoffMs, nextAttemptAt, withinBudget, type RetryPolicy, type StepSchedule } from './retry-schedule'

export { backoffMs, type RetryPolicy } from './retry-schedule'

// A small, generic saga engine: the state is a plain serialisable value, and everything that
// decides (what to do next, what an outcome changes) is a pure function of it, the time and a
// random number. The Durable Object only loads, applies, stores and calls.

export interface StepRecord {
  name: string
  status: StepStatus
  /** Attempts of the step itself, counted when each starts (so a crash mid-call still counts). */
  attempts: number
  compensation_attempts: number
  started_at: string | null
  finished_at: string | null
  error: string | null
  /** While the step waits to be retried: when its next attempt is due. Null otherwise. */
  next_retry_at?: string | null
  /** When its latest attempt was due (ms since the epoch): its retry schedule runs on from there. */
  due_at?: number | null
}

export interface SagaState<I> {
  id: string
  input: I
  status: SagaStatus
  steps: StepRecord[]
  /** Why the saga is compensating: a business reason, or `saga_failed`. */
  failure: string | null
  finalize_attempts: number
  /** When the next action is due (ms since the epoch): the alarm time. */
  next_at: number
  /** +1 per change: summaries written elsewhere keep the highest. */
  revision: number
  created_at: string
  updated_at: string
}

/**
 * What a step or compensation call came to. `business`: retrying cannot help; `transient`: it
 * may. `recorded`: the call wrote the summary of the state its `Settling` offer answered, with
 * its own effect (./host.ts).
 */
export type Outcome =
  | { kind: 'ok'; recorded?: true }
  | { kind: 'business'; error: string; reason: string }
  | { kind: 'transient'; error: string }

export type Action =
  | { kind: 'run'; step: number }
  | { kind: 'compensate'; step: number }
  /** After compensating: the definition's last word (cancel the order). */
  | { kind: 'finalize'; reason: string }
  | { kind: 'done' }

export type SagaEvent =
  | { type: 'step_started'; step: number }
  | { type: 'step_finished'; step: number; outcome: Outcome }
  | { type: 'compensation_started'; step: number }
  | { type: 'compensation_finished'; step: number; outcome: Outcome }
  | { type: 'finalize_started' }
  | { type: 'finalized'; outcome: Outcome }

export const TERMINAL: readonly SagaStatus[] = ['completed', 'compensated', 'failed']
export const SAGA_FAILED = 'saga_failed'

export function createSaga<I>(id: string, input: I, stepNames: readonly string[], now: number): SagaState<I> {
  const at = new Date(now).toISOString()
  return {
    id,
    input,
    status: 'running',
    steps: stepNames.map((name) => ({
      name,
      status: 'pending',
      attempts: 0,
      compensation_attempts: 0,
      started_at: null,
      finished_at: null,
      error: null,
      next_retry_at: null,
      due_at: null,
    })),
    failure: null,
    finalize_attempts: 0,
    next_at: now,
    revision: 1,
    created_at: at,
    updated_at: at,
  }
}

/** Where the step at `index` stands on its retry schedule (`pivotal` from the pivot on). */
export function stepSchedule<I>(state: SagaState<I>, index: number, policy: RetryPolicy): StepSchedule {
  const step = state.steps[index]!
  const pivot = policy.pivot === undefined ? -1 : state.steps.findIndex((record) => record.name === policy.pivot)
  return { attempts: step.attempts, firstAt: step.started_at ? Date.parse(step.started_at) : 0, pivotal: pivot !== -1 && index >= pivot }
}

/** A step that may have taken effect: its compensation was registered when it started. */
const started = (step: StepRecord) => step.attempts > 0 && ['running', 'succeeded', 'failed'].includes(step.status)

/** What to do next; `done` once terminal. Pure. */
export function nextAction<I>(state: SagaState<I>): Action {
  if (TERMINAL.includes(state.status)) return { kind: 'done' }
  if (state.status === 'running') {
    const step = state.steps.findIndex((record) => record.status !== 'succeeded')
    return step === -1 ? { kind: 'done' } : { kind: 'run', step }
  }
  for (let step = state.steps.length - 1; step >= 0; step--) {
    if (started(state.steps[step]!)) return { kind: 'compensate', step }
  }
  return { kind: 'finalize', reason: state.failure ?? SAGA_FAILED }
}

/** The public view of a saga. */
export function sagaView<I>(state: SagaState<I>, id = state.id): Saga {
  return {
    order_id: id,
    status: state.status,
    steps: state.steps.map(({ name, status, attempts, started_at, finished_at, error, next_retry_at }) => ({
      name,
      status,
      attempts,
      started_at,
      finished_at,
      error,
      next_retry_at: next_retry_at ?? null,
    })),
  }
}

export interface Clock {
  now: number
  /** In [0, 1): the jitter. */
  random: number
}

/** Applies an event to the state. Pure: the same state, event and clock give the same result. */
export function transition<I>(state: SagaState<I>, event: SagaEvent, policy: RetryPolicy, clock: Clock): SagaState<I> {
  const at = new Date(clock.now).toISOString()
  const steps = state.steps.map((step) => ({ ...step }))
  const next: SagaState<I> = { ...state, steps, revision: state.revision + 1, updated_at: at, next_at: clock.now }
  const compensate = (reason: string) => {
    next.status = 'compensating'
    next.failure = next.failure ?? reason
  }
  switch (event.type) {
    case 'step_started': {
      const step = steps[event.step]!
      // When this attempt was due: its retry time, or when the last one was due (a resumed call).
      const due = Math.max(clock.now, step.next_retry_at ? Date.parse(step.next_retry_at) : (step.due_at ?? clock.now))
      if (step.attempts > 0 && !withinBudget(policy, stepSchedule(state, event.step, policy), due)) {
        // Its last attempt never reported back (a crash or an eviction mid-call): give up.
        Object.assign(step, {
          status: 'failed',
          finished_at: at,
          error: step.error ?? 'no answer from the last attempt',
          next_retry_at: null,
        })
        compensate(SAGA_FAILED)
        return next
      }
      Object.assign(step, {
        status: 'running',
        attempts: step.attempts + 1,
        started_at: step.started_at ?? at,
        next_retry_at: null,
        due_at: due,
      })
      return next
    }
    case 'step_finished': {
      const step = steps[event.step]!
      const { outcome } = event
      step.next_retry_at = null
      if (outcome.kind === 'ok') {
        Object.assign(step, { status: 'succeeded', finished_at: at, error: null })
        if (steps.every((record) => record.status === 'succeeded')) next.status = 'completed'
        return next
      }
      step.error = outcome.error
      const retryAt =
        outcome.kind === 'transient'
          ? nextAttemptAt(policy, stepSchedule(next, event.step, policy), step.due_at ?? clock.now, clock.now, clock.random)
          : null
      if (outcome.kind === 'business') {
        Object.assign(step, { status: 'failed', finished_at: at })
        compensate(outcome.reason)
      } else if (retryAt === null) {
        Object.assign(step, { status: 'failed', finished_at: at })
        compensate(SAGA_FAILED)
      } else {
        step.next_retry_at = new Date(retryAt).toISOString()
        next.next_at = retryAt
      }
      return next
    }
    case 'compensation_started': {
      steps[event.step]!.compensation_attempts += 1
      return next
    }
    case 'compensation_finished': {
      const step = steps[event.step]!
      const { outcome } = event
      if (outcome.kind === 'ok') {
        Object.assign(step, { status: 'compensated', finished_at: at })
      } else if (outcome.kind === 'business' || step.compensation_attempts >= policy.undoAttempts) {
        Object.assign(step, { status: 'compensation_failed', finished_at: at, error: `compensation: ${outcome.error}` })
      } else {
        step.error = `compensation: ${outcome.error}`
        next.next_at = clock.now + backoffMs(policy, step.compensation_attempts, clock.random)
      }
      return next
    }
    case 'finalize_started': {
      next.finalize_attempts += 1
      return next
    }
    case 'finalized': {
      const compensationFailed = steps.some((step) => step.status === 'compensation_failed')
      if (event.outcome.kind === 'ok') {
        next.status = compensationFailed ? 'failed' : 'compensated'
      } else if (event.outcome.kind === 'business' || next.finalize_attempts >= policy.undoAttempts) {
        next.status = 'failed'
      } else {
        next.next_at = clock.now + backoffMs(policy, next.finalize_attempts, clock.random)
      }
      return next
    }
  }
}
