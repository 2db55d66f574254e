import { describe, expect, it } from 'vitest'
import { createReservationMemory } from './reservation-memory'

const reservation = (id: string) => ({
  reservationId: id,
  status: 'reserved' as const,
  items: [{ product_id: 'prd_1', quantity: 1, unit_price_cents: 100, currency: 'EUR' }],
})

describe('createReservationMemory', () => {
  it('answers a remembered reservation once', () => {
    const memory = createReservationMemory()
    memory.remember('ord_1', reservation('rsv_1'))
    expect(memory.take('ord_1')).toEqual(reservation('rsv_1'))
    expect(memory.take('ord_1')).toBeNull()
    expect(memory.take('ord_unknown')).toBeNull()
  })

  it('keeps at most its size, forgetting the oldest first', () => {
    const memory = createReservationMemory({ maxEntries: 2, maxBytes: 1024 * 1024, ttlMs: 60_000 })
    memory.remember('ord_1', reservation('rsv_1'))
    memory.remember('ord_2', reservation('rsv_2'))
    memory.remember('ord_1', reservation('rsv_1b'))
    memory.remember('ord_3', reservation('rsv_3'))
    expect(memory.take('ord_2')).toBeNull()
    expect(memory.take('ord_1')).toEqual(reservation('rsv_1b'))
    expect(memory.take('ord_3')).toEqual(reservation('rsv_3'))
  })

  it('forgets a reservation after its time, and keeps within its bytes', () => {
    let time = 0
    const memory = createReservationMemory({ maxEntries: 100, maxBytes: 400, ttlMs: 60_000 }, () => time)
    memory.remember('ord_1', reservation('rsv_1'))
    time = 60_000
    expect(memory.take('ord_1')).toBeNull()
    for (const id of ['ord_2', 'ord_3', 'ord_4']) memory.remember(id, reservation(id))
    expect(memory.take('ord_2')).toBeNull()
    expect(memory.take('ord_4')).toEqual(reservation('ord_4'))
  })
})
