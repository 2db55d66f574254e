import type { AppError } from '../../../../shared-contracts/errors'
import type { ReservationStatus } from '../repo/schema'

export type ReservationOperation = 'release' | 'commit'

/** What a release or commit does to a reservation in a given state (null: the order has none). */
export type Decision =
  | { kind: 'apply'; to: 'released' | 'committed' }
  /** Release of an order with nothing reserved: remember the order as released. */
  | { kind: 'release_unreserved' }
  | { kind: 'noop'; status: 'released' | 'committed' }
  | { kind: 'fail'; error: AppError }

/**
 * The reservation state machine: reserved → released | committed, both final. Repeating a
 * transition is a no-op (the saga retries); crossing over is a conflict.
 */
export function decide(status: ReservationStatus | null, operation: ReservationOperation): Decision {
  if (operation === 'release') {
    switch (status) {
      case null:
        return { kind: 'release_unreserved' }
      case 'reserved':
        return { kind: 'apply', to: 'released' }
      case 'released':
        return { kind: 'noop', status: 'released' }
      case 'committed':
        return { kind: 'fail', error: { code: 'conflict', detail: 'The reservation is committed: its stock has left.' } }
    }
  }
  switch (status) {
    case null:
      return { kind: 'fail', error: { code: 'not_found', detail: 'The order has no reservation.' } }
    case 'reserved':
      return { kind: 'apply', to: 'committed' }
    case 'committed':
      return { kind: 'noop', status: 'committed' }
    case 'released':
      return { kind: 'fail', error: { code: 'conflict', detail: 'The reservation was released.' } }
  }
}
