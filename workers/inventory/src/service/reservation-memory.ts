import type { StoredReservation } from '../repo/reservations-repo'

/**
 * The reservations this isolate made and has not seen finish, so that their commit or release
 * (which a saga sends soon after, over a service binding that runs it on the same server and
 * thread as the reserve) skips reading them back. What it holds is only a first guess: the
 * items of a reservation never change once made, and its status is checked by the transition's
 * own batch, which fails whole if another call moved the reservation meanwhile — the caller
 * then reads the reservation as before. Losing it (a new isolate, an eviction) costs that read.
 */
export interface ReservationMemory {
  remember(orderId: string, reservation: StoredReservation): void
  /** The reservation if this isolate made it and nothing has asked for it since; forgotten then. */
  take(orderId: string): StoredReservation | null
}

/** Enough for the reservations in flight on one isolate; the oldest goes first. */
export const RESERVATION_MEMORY_SIZE = 1_000

export function createReservationMemory(size = RESERVATION_MEMORY_SIZE): ReservationMemory {
  const held = new Map<string, StoredReservation>()
  return {
    remember(orderId, reservation) {
      held.delete(orderId)
      held.set(orderId, reservation)
      if (held.size > size) held.delete(held.keys().next().value!)
    },
    take(orderId) {
      const reservation = held.get(orderId) ?? null
      held.delete(orderId)
      return reservation
    },
  }
}

let isolateMemory: ReservationMemory | undefined

/** The isolate's one memory, shared by the services built per request. */
export function isolateReservationMemory(): ReservationMemory {
  isolateMemory ??= createReservationMemory()
  return isolateMemory
}
