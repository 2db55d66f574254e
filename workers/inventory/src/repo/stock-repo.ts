import { eq, inArray, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import type { StockLevels } from '../../../../shared-contracts/inventory'
import { stockChangedFromRow } from '../events/publish'
import { productStamp, stampBump } from './cache-stamps-repo'
import { stock, type StockRow } from './schema'
import { isCheckViolation } from '../../../../platform/db/sql-errors'

export const toLevels = (row: Pick<StockRow, 'productId' | 'onHand' | 'reserved'>): StockLevels => ({
  product_id: row.productId,
  on_hand: row.onHand,
  reserved: row.reserved,
  available: row.onHand - row.reserved,
})

export type SetOnHandOutcome = { kind: 'set'; levels: StockLevels } | { kind: 'not_found' } | { kind: 'below_reserved' }

export type StockRepo = ReturnType<typeof createStockRepo>

export function createStockRepo(d1: D1Database) {
  const db = drizzle(d1)
  return {
    async levels(productId: string): Promise<StockLevels | null> {
      const row = await db.select().from(stock).where(eq(stock.productId, productId)).get()
      return row ? toLevels(row) : null
    },

    async levelsOf(productIds: readonly string[]): Promise<StockLevels[]> {
      if (productIds.length === 0) return []
      return (
        await db
          .select()
          .from(stock)
          .where(inArray(stock.productId, [...productIds]))
          .all()
      ).map(toLevels)
    },

    /**
     * Sets the count on hand, with its stock.changed event, in one batch. The stock table's
     * CHECK constraint refuses a count below what is reserved, whatever happened concurrently.
     */
    async setOnHand(productId: string, onHand: number, now: Date): Promise<SetOnHandOutcome> {
      // Products are never deleted: one that has stock now has it in the batch.
      const known = await db.select({ productId: stock.productId }).from(stock).where(eq(stock.productId, productId)).get()
      if (!known) return { kind: 'not_found' }
      try {
        const [rows] = await db.batch([
          db
            .update(stock)
            .set({ onHand, version: sql`${stock.version} + 1`, updatedAt: now.toISOString() })
            .where(eq(stock.productId, productId))
            .returning(),
          stockChangedFromRow(db, productId, now),
          // `available` is part of the public product and its list pages.
          stampBump(db, productStamp(productId), now),
        ])
        const row = rows[0]
        return row ? { kind: 'set', levels: toLevels(row) } : { kind: 'not_found' }
      } catch (error) {
        if (isCheckViolation(error)) return { kind: 'below_reserved' }
        throw error
      }
    },
  }
}
