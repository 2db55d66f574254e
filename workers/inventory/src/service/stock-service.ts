import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import type { StockLevels } from '../../../../shared-contracts/inventory'
import type { StockRepo } from '../repo/stock-repo'

export interface StockDeps {
  stock: StockRepo
  now: () => Date
}

export type StockService = ReturnType<typeof createStockService>

const unknownProduct = (id: string) => fail({ code: 'not_found' as const, detail: `No product ${id}.` })

export function createStockService({ stock, now }: StockDeps) {
  return {
    async levels(productId: string): Promise<Result<StockLevels>> {
      const levels = await stock.levels(productId)
      return levels ? ok(levels) : unknownProduct(productId)
    },

    /** Counts the stock on hand; a count below what is reserved is a `conflict` (reserved stock is promised). */
    async setOnHand(productId: string, onHand: number): Promise<Result<StockLevels>> {
      const outcome = await stock.setOnHand(productId, onHand, now())
      switch (outcome.kind) {
        case 'set':
          return ok(outcome.levels)
        case 'not_found':
          return unknownProduct(productId)
        case 'below_reserved': {
          const reserved = (await stock.levels(productId))?.reserved
          return fail({ code: 'conflict', detail: `on_hand ${onHand} is below the ${reserved ?? 'reserved'} units reserved.` })
        }
      }
    },
  }
}
