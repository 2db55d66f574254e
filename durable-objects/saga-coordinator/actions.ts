import type { Action, Outcome, SagaEvent, SagaState } from './engine'
import type { SagaHost, SagaInput, Settling } from './host'

// The events that store an action as the coordinator runs it: its start before the call, its
// outcome after; and the call the action makes.

/** An action that makes a call. */
export type Due = Exclude<Action, { kind: 'done' }>

/** The event that stores an action as started (before its call). */
export function startedEvent(action: Action): SagaEvent {
  switch (action.kind) {
    case 'run':
      return { type: 'step_started', step: action.step }
    case 'compensate':
      return { type: 'compensation_started', step: action.step }
    case 'finalize':
      return { type: 'finalize_started' }
    case 'done':
      throw new Error('a finished saga starts nothing')
  }
}

/** The event that stores an action's outcome. */
export function finishedEvent(action: Due, outcome: Outcome): SagaEvent {
  switch (action.kind) {
    case 'run':
      return { type: 'step_finished', step: action.step, outcome }
    case 'compensate':
      return { type: 'compensation_finished', step: action.step, outcome }
    case 'finalize':
      return { type: 'finalized', outcome }
  }
}

/** The call an action makes, and its name in spans and fault points (`<step>`, `compensate:<step>`, `finalize`). */
export function actionCall<I extends SagaInput>(
  host: SagaHost<I>,
  action: Due,
  input: I,
  settling?: Settling<I>,
): { name: string; run: () => Promise<Outcome> } {
  switch (action.kind) {
    case 'run': {
      const step = host.steps[action.step]!
      return { name: step.name, run: () => step.run(input, settling) }
    }
    case 'compensate': {
      const step = host.steps[action.step]!
      return { name: `compensate:${step.name}`, run: () => step.compensate(input) }
    }
    case 'finalize':
      return { name: 'finalize', run: () => host.finalize(input, action.reason, settling) }
  }
}

export interface SettlingOffer<I> {
  offer: Settling<I>
  taken: () => SagaState<I> | undefined
}

/**
 * For a call whose success changes the saga's status (its summary is written then): the offer of
 * the state that success stores (./host.ts, `Settling`), made when the host asks, once; `taken`
 * answers it if it was. `next` is the coordinator's transition (the engine's, then its host's scrub).
 */
export function settlingOffer<I>(
  state: SagaState<I>,
  action: Due,
  next: (state: SagaState<I>, event: SagaEvent) => SagaState<I>,
): SettlingOffer<I> | undefined {
  const ok = finishedEvent(action, { kind: 'ok' })
  if (next(state, ok).status === state.status) return undefined
  let taken: SagaState<I> | undefined
  return { offer: () => (taken ??= next(state, ok)), taken: () => taken }
}
