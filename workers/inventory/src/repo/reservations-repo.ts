import { eq, sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1'
import type { ReservedItem } from '../../../../shared-contracts/inventory'
import { stockChangedFromRow } from '../events/publish'
import { productStamp, stampBump } from './cache-stamps-repo'
import { freshCopies, stockReturningProduct, type Stamped, type VersionedProduct } from './products-repo'
import { requestInsert, type RequestRecord } from './requests-repo'
import { products, reservationItems, reservations, stock, type ReservationStatus } from './schema'
import { isCheckViolation, isNotNullViolation, isUniqueViolation } from '../../../../platform/db/sql-errors'

export interface StoredReservation {
  reservationId: string
  status: ReservationStatus
  items: ReservedItem[]
}

export interface NewReservation {
  orderId: string
  reservationId: string
  items: ReservedItem[]
  /** The call's outcome, remembered in the same batch. */
  request: RequestRecord
}

/**
 * `reserved`, with the products as the batch left them (to refill the product cache from);
 * `short`: some item lacked stock; `duplicate`: the key or the order has an outcome already;
 * `repriced`: some product's price is no longer the one it was priced at, or it does not exist.
 * Nothing was written in the last three.
 */
export type ReserveOutcome = { kind: 'reserved'; fresh: Fresh[] } | { kind: 'short' } | { kind: 'duplicate' } | { kind: 'repriced' }

/** A product as a write left it, ready for the product cache. */
export type Fresh = Stamped<VersionedProduct>

type Batch = [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]
type StockRows = Parameters<typeof freshCopies>[0]

/**
 * The reservation's items as one insert, whatever their number (D1 binds at most 100 parameters a
 * statement: the items go as one JSON parameter). Each item's price is the one it was priced at
 * if the product still has that price, else NULL, which the NOT NULL column refuses, failing the
 * batch: a price read from a cache is checked where it is written, and an unknown product fails
 * the same way. Rows go in the items' order (`find` answers them in rowid order).
 */
function itemsInsert(db: DrizzleD1Database, orderId: string, items: readonly ReservedItem[]) {
  const item = (field: keyof ReservedItem) => sql.raw(`json_extract(line.value, '$.${field}')`)
  // The select's columns are the table's, in its order (drizzle inserts into all of them).
  return db.insert(reservationItems).select(
    sql`SELECT ${orderId}, ${item('product_id')}, ${item('quantity')}, ${products.priceCents}, ${item('currency')}
    FROM json_each(${JSON.stringify(items)}) AS line
    LEFT JOIN ${products} ON ${products.id} = ${item('product_id')}
      AND ${products.priceCents} = ${item('unit_price_cents')} AND ${products.currency} = ${item('currency')}
    ORDER BY line.key`,
  )
}

/**
 * Moves the order's reservation from `reserved` to `to`, as a statement that fails (and so fails
 * its batch) otherwise: an upsert whose row would be new takes its reservation id from the
 * existing row, NULL when there is none, which NOT NULL refuses; an existing row that is no
 * longer `reserved` gets a NULL status, refused the same way. A plain UPDATE would change nothing
 * and let the rest of the batch (the stock) go on.
 */
function guardedStatus(db: DrizzleD1Database, orderId: string, to: 'released' | 'committed', at: string) {
  const existingId = sql`(SELECT ${reservations.reservationId} FROM ${reservations} WHERE ${reservations.orderId} = ${orderId})`
  return db
    .insert(reservations)
    .values({ orderId, reservationId: existingId, status: to, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({
      target: reservations.orderId,
      set: { status: sql`CASE WHEN ${reservations.status} = 'reserved' THEN excluded.status END`, updatedAt: sql`excluded.updated_at` },
    })
}

/** The stock updates' results in a batch's results (each update returns its product's row). */
const stockResults = (results: unknown[], start: number, count: number): StockRows =>
  results.slice(start, start + count).flat() as StockRows

export type ReservationsRepo = ReturnType<typeof createReservationsRepo>

export function createReservationsRepo(d1: D1Database) {
  const db = drizzle(d1)
  const stockChange = (productId: string, levels: Partial<Record<'onHand' | 'reserved', ReturnType<typeof sql>>>, at: string) =>
    db
      .update(stock)
      .set({ ...levels, version: sql`${stock.version} + 1`, updatedAt: at })
      .where(eq(stock.productId, productId))

  return {
    /** The order's reservation with its items, in the order they were reserved: one statement. */
    async find(orderId: string): Promise<StoredReservation | null> {
      const rows = await db
        .select({
          reservationId: reservations.reservationId,
          status: reservations.status,
          productId: reservationItems.productId,
          quantity: reservationItems.quantity,
          unitPriceCents: reservationItems.unitPriceCents,
          currency: reservationItems.currency,
        })
        .from(reservations)
        .leftJoin(reservationItems, eq(reservationItems.orderId, reservations.orderId))
        .where(eq(reservations.orderId, orderId))
        // rowid: the order the items were reserved in.
        .orderBy(sql`${reservationItems}.rowid`)
        .all()
      const header = rows[0]
      if (!header) return null
      const items = rows.flatMap((row) =>
        row.productId === null
          ? []
          : [{ product_id: row.productId, quantity: row.quantity!, unit_price_cents: row.unitPriceCents!, currency: row.currency! }],
      )
      return { reservationId: header.reservationId, status: header.status, items }
    },

    /**
     * Reserves every item or none, in one batch. Each stock update raises `reserved`; the
     * CHECK `reserved <= on_hand` makes a shortfall fail its statement and so the whole batch,
     * which is what keeps concurrent reservations from overselling.
     */
    async reserve(reservation: NewReservation, now: Date): Promise<ReserveOutcome> {
      const at = now.toISOString()
      const { orderId, reservationId, items } = reservation
      const head = [
        requestInsert(db, reservation.request, now),
        db.insert(reservations).values({ orderId, reservationId, status: 'reserved', createdAt: at, updatedAt: at }),
        itemsInsert(db, orderId, items),
        // `available` changes: the cached copies of these products, and of no other, go.
        ...items.map((item) => stampBump(db, productStamp(item.product_id), now)),
      ] as const
      try {
        const results = await db.batch([
          ...head,
          ...items.map((item) =>
            stockChange(item.product_id, { reserved: sql`${stock.reserved} + ${item.quantity}` }, at).returning(stockReturningProduct),
          ),
          ...items.map((item) => stockChangedFromRow(db, item.product_id, now)),
        ])
        return { kind: 'reserved', fresh: freshCopies(stockResults(results, head.length, items.length)) }
      } catch (error) {
        if (isCheckViolation(error)) return { kind: 'short' }
        if (isUniqueViolation(error)) return { kind: 'duplicate' }
        if (isNotNullViolation(error)) return { kind: 'repriced' }
        throw error
      }
    },

    /**
     * Moves a `reserved` reservation to `released` (stock back) or `committed` (stock out), with
     * its events and the call's outcome, in one batch; answers the products as a release left
     * them (a commit leaves what the public product shows as it was). The status write guards
     * it (`guardedStatus`): unless the reservation is there and `reserved`, the batch fails whole
     * and this answers null — another call moved it first, or it is not what the caller held.
     */
    async transition(
      orderId: string,
      to: 'released' | 'committed',
      items: readonly ReservedItem[],
      request: RequestRecord,
      now: Date,
    ): Promise<Fresh[] | null> {
      const at = now.toISOString()
      const levels = (quantity: number) =>
        to === 'released'
          ? { reserved: sql`${stock.reserved} - ${quantity}` }
          : { onHand: sql`${stock.onHand} - ${quantity}`, reserved: sql`${stock.reserved} - ${quantity}` }
      const ids = items.map((item) => item.product_id)
      const released = to === 'released'
      const head: BatchItem<'sqlite'>[] = [
        guardedStatus(db, orderId, to, at),
        // A commit takes as much from on_hand as from reserved: `available`, all the public
        // product shows of stock, stays, and so do the cached copies. A release raises it.
        ...(released ? ids.map((id) => stampBump(db, productStamp(id), now)) : []),
      ]
      const statements = [
        ...head,
        ...items.map((item) => {
          const change = stockChange(item.product_id, levels(item.quantity), at)
          return released ? change.returning(stockReturningProduct) : change
        }),
        ...items.map((item) => stockChangedFromRow(db, item.product_id, now)),
        requestInsert(db, request, now),
      ]
      try {
        const results = await db.batch(statements as Batch)
        return released ? freshCopies(stockResults(results, head.length, items.length)) : []
      } catch (error) {
        if (isCheckViolation(error) || isNotNullViolation(error) || isUniqueViolation(error)) return null
        throw error
      }
    },

    /**
     * Releases an order that reserved nothing: a `released` reservation without items, so that
     * a reserve arriving late (after the saga compensated) cannot take stock. `false` if the
     * order (or the key) got an outcome meanwhile.
     */
    async releaseUnreserved(orderId: string, reservationId: string, request: RequestRecord, now: Date): Promise<boolean> {
      const at = now.toISOString()
      try {
        await db.batch([
          db.insert(reservations).values({ orderId, reservationId, status: 'released', createdAt: at, updatedAt: at }),
          requestInsert(db, request, now),
        ])
        return true
      } catch (error) {
        if (isUniqueViolation(error)) return false
        throw error
      }
    },
  }
}
