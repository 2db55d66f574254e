import { describe, expect, it } from 'vitest'
import { findShortfall, outOfStock } from './shortfall'

const level = (product_id: string, available: number) => ({ product_id, on_hand: available, reserved: 0, available })

describe('findShortfall', () => {
  it('finds nothing when every item is covered, to the last unit', () => {
    expect(
      findShortfall(
        [
          { product_id: 'a', quantity: 2 },
          { product_id: 'b', quantity: 1 },
        ],
        [level('a', 2), level('b', 5)],
      ),
    ).toBeNull()
  })

  it('names the first item asking for more than is available, with its index', () => {
    const items = [
      { product_id: 'a', quantity: 1 },
      { product_id: 'b', quantity: 3 },
      { product_id: 'c', quantity: 9 },
    ]
    expect(findShortfall(items, [level('a', 1), level('b', 2), level('c', 0)])).toEqual({
      index: 1,
      product_id: 'b',
      requested: 3,
      available: 2,
    })
  })

  it('counts a product without levels as having none', () => {
    expect(findShortfall([{ product_id: 'x', quantity: 1 }], [])).toEqual({ index: 0, product_id: 'x', requested: 1, available: 0 })
  })
})

describe('outOfStock', () => {
  it('is an out_of_stock error naming the product in its detail and the item in its path', () => {
    expect(outOfStock({ index: 2, product_id: 'prd_1', requested: 3, available: 1 })).toEqual({
      code: 'out_of_stock',
      detail: 'Not enough stock of product prd_1: 3 requested, 1 available.',
      errors: [{ path: 'items.2.quantity', message: 'prd_1: 3 requested, 1 available' }],
    })
  })
})
