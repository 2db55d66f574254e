import type { Action, Outcome, SagaEvent } from './engine'

// The events that store an action as the coordinator runs it: its start before the call, its
// outcome after.

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
