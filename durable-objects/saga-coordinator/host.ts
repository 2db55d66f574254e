import type { Saga } from '../../shared-contracts/orders'
import type { WrittenRow } from '../../platform/events/written-events'
import type { Outcome, RetryPolicy, SagaState } from './engine'

// What the coordinator is given by the Worker that hosts it: the saga's definition (its steps,
// their dependencies, its policy) and where the saga's summary lives. The coordinator knows
// nothing else of its host.

/** Every saga's input names the id the saga runs for (the coordinator is named by it). */
export interface SagaInput {
  order_id: string
}

/** How a saga is started. */
export interface StartOptions {
  /**
   * The caller has just written the saga's first summary (with its input) in the transaction that
   * created what the saga is for: the saga cannot have run, let alone finished. The start then
   * neither looks for a finished summary nor writes one; the summary is next written when the
   * saga's status changes, it waits, or it ends.
   */
  fresh?: boolean
  /**
   * Outbox rows the caller wrote and handed over instead of relaying them (platform/events/
   * written-events.ts, `handOver`): the saga's first relay sends them with its own events — after
   * its last step or its finalize, or when it first has to wait.
   */
  events?: readonly WrittenRow[]
}

/**
 * Offered to a call whose success changes the saga's status (the last step, the finalize): the
 * state the saga is stored in if the call succeeds, dated when it is asked for (ask just before
 * the call's last write). A host that writes that state's summary in the same transaction as the
 * call's own effect, and only if the effect took place, answers `{ kind: 'ok', recorded: true }`:
 * the coordinator then stores that very state and writes no summary of its own.
 */
export type Settling<I> = () => SagaState<I>

export interface SagaStep<I> {
  name: string
  run: (input: I, settling?: Settling<I>) => Promise<Outcome>
  /** Undoes the step; a no-op when the step never took effect. */
  compensate: (input: I) => Promise<Outcome>
  /** Its success writes events the host relays at once (not at the next sweep). */
  publishes?: boolean
}

export interface SagaHost<I extends SagaInput> {
  /** The saga's name in spans (`saga.name`). */
  name: string
  /** The service whose logs the coordinator writes to. */
  service: string
  steps: readonly SagaStep<I>[]
  policy: RetryPolicy
  /** A step call that has not answered by then counts as a transient failure. */
  stepTimeoutMs: number
  /** After compensating: the definition's last word, with the failure's reason; its success publishes. */
  finalize: (input: I, reason: string, settling?: Settling<I>) => Promise<Outcome>
  /** The state as it is stored after a transition: drops what no later step needs. */
  scrub: (state: SagaState<I>) => SagaState<I>
  /** Records the saga's summary (its view, revision and times) where the host's reads find it. */
  record: (state: SagaState<I>) => Promise<void>
  /** The summary of a saga whose storage is gone, if it was ever recorded (found by its input: where the host keeps it may depend on it). */
  recorded: (input: I) => Promise<Saga | null>
  /**
   * Sends the events a step or the finalize wrote, and `handed` (rows its start was handed, on
   * the saga's database): best effort, a sweep sends them later too.
   */
  relay: (input: I, handed: readonly WrittenRow[]) => Promise<void>
}
