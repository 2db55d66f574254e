import { Lru } from '../../../../platform/cache/lru'
import type { StoredReservation } from '../repo/reservations-repo'

/**
 * The reservations this isolate made and has not seen finish, so that their commit or release
 * (which a saga sends soon after, over a service binding that runs it on the same server and
 * thread as the reserve) skips reading them back. What it holds is only a first guess: the
 * items of a reservation never change once made, and its status is checked by the transition's
 * own batch, which fails whole if another call moved the reservation meanwhile — the caller
 * then reads the reservation as before. Losing it (a new isolate, an eviction, ten minutes
 * passing) costs that read. Bounded in entries and in bytes (platform/cache/lru.ts).
 */
export interface ReservationMemory {
  remember(orderId: string, reservation: StoredReservation): void
  /** The reservation if this isolate made it and nothing has asked for it since; forgotten then. */
  take(orderId: string): StoredReservation | null
}

/** Enough for the reservations in flight on one isolate (sagas settle within minutes). */
export const RESERVATION_MEMORY = { maxEntries: 1_000, maxBytes: 1024 * 1024, ttlMs: 10 * 60_000 }
/** About what one reserved item takes in memory (ids, price, currency): the byte bound's measure. */
const ITEM_BYTES = 160

export function createReservationMemory(bounds = RESERVATION_MEMORY, now: () => number = Date.now): ReservationMemory {
  const held = new Lru<StoredReservation>({ maxEntries: bounds.maxEntries, maxBytes: bounds.maxBytes, now })
  return {
    remember: (orderId, reservation) => held.set(orderId, reservation, ITEM_BYTES * reservation.items.length, bounds.ttlMs),
    take(orderId) {
      const reservation = held.peek(orderId) ?? null
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
