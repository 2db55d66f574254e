import { describe, expect, it } from 'vitest'
import { orderCancelledMessage, orderConfirmedMessage } from './templates'

const order = (overrides: Partial<Parameters<typeof orderConfirmedMessage>[0]> = {}) => ({
  order_id: 'ord_1',
  user_id: 'usr_1',
  status: 'confirmed' as const,
  items: [{ product_id: 'prd_1', quantity: 1, unit_price_cents: 4250 }],
  total_cents: 4250,
  currency: 'EUR',
  cancellation_reason: null,
  created_at: '2026-11-24T09:00:00.000Z',
  updated_at: '2026-11-24T09:01:00.000Z',
  version: 2,
  ...overrides,
})
const ada = { name: 'Ada' }

describe('order messages', () => {
  it('states the total in the currency’s own minor units', () => {
    expect(orderConfirmedMessage(order(), ada).body).toContain('1 item, €42.50 in total.')
    expect(orderConfirmedMessage(order({ total_cents: 500, currency: 'JPY' }), ada).body).toContain('¥500 in total.')
  })

  it('falls back to two decimals for a currency it does not know', () => {
    expect(orderConfirmedMessage(order({ currency: 'not a code' }), ada).body).toContain('42.50 not a co in total.')
  })

  it('names every contract cancellation reason in words, and no reason as such', () => {
    const subject = (reason: string | null) =>
      orderCancelledMessage(order({ status: 'cancelled', cancellation_reason: reason }), ada).subject
    expect(subject('out_of_stock')).toBe('Your order ord_1 was cancelled: out of stock')
    expect(subject('payment_declined')).toBe('Your order ord_1 was cancelled: payment declined')
    expect(subject('unknown_product')).toBe('Your order ord_1 was cancelled: product no longer available')
    expect(subject('saga_failed')).toBe('Your order ord_1 was cancelled: we could not complete it')
    expect(subject(null)).toBe('Your order ord_1 was cancelled: no reason given')
  })

  it('keeps an order id with line breaks out of the subject’s lines', () => {
    expect(orderConfirmedMessage(order({ order_id: 'ord_1\r\nBcc: x' }), ada).subject).toBe('Your order ord_1 Bcc: x is confirmed')
  })
})
