import { describe, expect, it } from 'vitest'
import { transitionOrder, type OrderState } from './order-state'

const now = new Date('2026-01-02T03:04:05.000Z')
const pending: OrderState = {
  id: 'ord_1',
  user_id: 'usr_1',
  status: 'pending',
  items: [{ product_id: 'prd_1', quantity: 2, unit_price_cents: 500 }],
  total_cents: 1000,
  currency: 'EUR',
  cancellation_reason: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  version: 1,
}

describe('order state machine', () => {
  it('confirms a pending order, version + 1', () => {
    const result = transitionOrder(pending, { type: 'confirm' }, now)
    expect(result).toEqual({
      kind: 'changed',
      from: 'pending',
      order: { ...pending, status: 'confirmed', updated_at: now.toISOString(), version: 2 },
    })
  })

  it('cancels a pending order with its reason', () => {
    const result = transitionOrder(pending, { type: 'cancel', reason: 'payment_declined' }, now)
    expect(result.kind).toBe('changed')
    expect(result.order).toMatchObject({ status: 'cancelled', cancellation_reason: 'payment_declined', version: 2 })
  })

  it('repeating the transition that happened is a no-op', () => {
    const confirmed = { ...pending, status: 'confirmed' as const, version: 2 }
    expect(transitionOrder(confirmed, { type: 'confirm' }, now)).toEqual({ kind: 'unchanged', order: confirmed, refused: false })
    const cancelled = { ...pending, status: 'cancelled' as const, cancellation_reason: 'out_of_stock' as const, version: 2 }
    expect(transitionOrder(cancelled, { type: 'cancel', reason: 'saga_failed' }, now)).toEqual({
      kind: 'unchanged',
      order: cancelled,
      refused: false,
    })
  })

  it('refuses to leave a final state', () => {
    const confirmed = { ...pending, status: 'confirmed' as const, version: 2 }
    expect(transitionOrder(confirmed, { type: 'cancel', reason: 'out_of_stock' }, now)).toEqual({
      kind: 'unchanged',
      order: confirmed,
      refused: true,
    })
    const cancelled = { ...pending, status: 'cancelled' as const, cancellation_reason: 'out_of_stock' as const, version: 2 }
    expect(transitionOrder(cancelled, { type: 'confirm' }, now)).toEqual({ kind: 'unchanged', order: cancelled, refused: true })
  })
})
