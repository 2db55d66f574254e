import type { AppError } from '../../../../shared-contracts/errors'
import type { StockLevels } from '../../../../shared-contracts/inventory'

export interface Shortfall {
  index: number
  product_id: string
  requested: number
  available: number
}

/** The first item that asks for more than is available (a product without levels has none). */
export function findShortfall(
  items: readonly { product_id: string; quantity: number }[],
  levels: readonly StockLevels[],
): Shortfall | null {
  const available = new Map(levels.map((level) => [level.product_id, level.available]))
  for (const [index, item] of items.entries()) {
    const left = available.get(item.product_id) ?? 0
    if (left < item.quantity) return { index, product_id: item.product_id, requested: item.quantity, available: left }
  }
  return null
}

export function outOfStock(shortfall: Shortfall): AppError {
  const message = `${shortfall.requested} requested, ${shortfall.available} available`
  return {
    code: 'out_of_stock',
    detail: `Not enough stock of product ${shortfall.product_id}: ${message}.`,
    errors: [{ path: `items.${shortfall.index}.quantity`, message: `${shortfall.product_id}: ${message}` }],
  }
}
