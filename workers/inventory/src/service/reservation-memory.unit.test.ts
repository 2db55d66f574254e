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
    const memory = createReservationMemory(2)
    memory.remember('ord_1', reservation('rsv_1'))
    memory.remember('ord_2', reservation('rsv_2'))
    memory.remember('ord_1', reservation('rsv_1b'))
    memory.remember('ord_3', reservation('rsv_3'))
    expect(memory.take('ord_2')).toBeNull()
    expect(memory.take('ord_1')).toEqual(reservation('rsv_1b'))
    expect(memory.take('ord_3')).toEqual(reservation('rsv_3'))
  })
})
