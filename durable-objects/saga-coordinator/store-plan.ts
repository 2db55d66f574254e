import { TERMINAL, type SagaState } from './engine'

/**
 * A finished saga's storage is deleted this long after it ended (its summary in the host stays,
 * and serves every read): long enough to look into a saga that just went wrong.
 */
export const FINISHED_SAGA_RETENTION_MS = 24 * 60 * 60_000

/** When a finished saga's storage is deleted. */
export const retentionEnd = (state: { updated_at: string }) => Date.parse(state.updated_at) + FINISHED_SAGA_RETENTION_MS

/** What storing a saga's next state takes besides the write itself. */
export interface StorePlan {
  /** The alarm to set with the write, if any. */
  alarmAt: number | undefined
  /** Whether the host's summary is written: a reader of it would see a lasting difference. */
  record: boolean
  ended: boolean
}

export interface StoreMoment {
  now: number
  /** The watchdog of a call about to be made, if the state stored starts one. */
  watchdog: number | undefined
  /** The alarm this activation set and that has not fired yet. */
  armedAt: number | null
  stepTimeoutMs: number
}

/**
 * The alarm and summary that go with storing `next` over `stored`. The alarm: `watchdog` before
 * a call — unless one armed in this activation fires no sooner than the call could time out —,
 * the time of a retry the transition scheduled, or the end of a finished saga's retention. The
 * summary: only when the saga's status changed or it now waits for a retry; passing states (a
 * step running, then succeeded while the next is due) stay in the object's own view.
 */
export function storePlan(stored: SagaState<unknown>, next: SagaState<unknown>, moment: StoreMoment): StorePlan {
  const { now, watchdog, armedAt, stepTimeoutMs } = moment
  const waiting = next.next_at > now
  const ended = TERMINAL.includes(next.status)
  const armed = watchdog !== undefined && armedAt !== null && armedAt >= now + stepTimeoutMs
  const alarmAt = armed ? undefined : (watchdog ?? (ended ? retentionEnd(next) : waiting ? next.next_at : undefined))
  return { alarmAt, record: next.status !== stored.status || waiting, ended }
}
