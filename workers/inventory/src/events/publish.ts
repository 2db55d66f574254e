import { sql, type SQL } from 'drizzle-orm'
import type { DrizzleD1Database } from 'drizzle-orm/d1'
import { createEvent } from '../../../../platform/events/envelope'
import { outboxInsert, outboxRowInsert } from '../../../../platform/events/outbox-insert'
import { EVENT_TYPES, type EventData, type EventType } from '../../../../shared-contracts/events'
import { products, stock } from '../repo/schema'

// What inventory publishes. Its subscribers are in shared-contracts/subscriptions.ts.
//
// Events whose data depends on the row a batch has just changed (a version, levels after a
// concurrent reservation) read it in SQL, in the same batch, so that the event says exactly
// what the change left behind.

export const SERVICE = 'inventory'

type ProductSnapshot = EventData<typeof EVENT_TYPES.productCreated>
type StockSnapshot = EventData<typeof EVENT_TYPES.stockChanged>

/**
 * The outbox row of an event whose data a subquery reads from the row the batch has just
 * changed. Were that row missing, the envelope would be NULL and the NOT NULL column would
 * fail the whole batch: an event never goes out without its change.
 */
function outboxInsertFromRow(db: DrizzleD1Database, type: EventType, subject: string, now: Date, data: SQL, from: SQL) {
  const event = createEvent({ service: SERVICE, type, subject, data: {} as never, now })
  const envelope = sql`(SELECT json_set(${JSON.stringify(event)}, '$.data', ${data}) FROM ${from})`
  return outboxRowInsert(db, { id: event.id, type: event.type, envelope, createdAt: event.time })
}

/** product.created: the new product's data is known before the batch runs. */
export function productCreated(db: DrizzleD1Database, data: ProductSnapshot, now: Date) {
  return outboxInsert(db, createEvent({ service: SERVICE, type: EVENT_TYPES.productCreated, subject: data.product_id, data, now }))
}

/** stock.changed for a product's first levels. */
export function stockInitialised(db: DrizzleD1Database, data: StockSnapshot, now: Date) {
  return outboxInsert(db, createEvent({ service: SERVICE, type: EVENT_TYPES.stockChanged, subject: data.product_id, data, now }))
}

/** product.updated with the product row as the batch left it (version included). */
export function productUpdatedFromRow(db: DrizzleD1Database, productId: string, now: Date) {
  const data = sql`json_object('product_id', ${products.id}, 'sku', ${products.sku}, 'name', ${products.name},
    'description', ${products.description}, 'price_cents', ${products.priceCents}, 'currency', ${products.currency},
    'version', ${products.version})`
  return outboxInsertFromRow(db, EVENT_TYPES.productUpdated, productId, now, data, sql`${products} WHERE ${products.id} = ${productId}`)
}

/** stock.changed with the levels as the batch left them, whatever ran concurrently. */
export function stockChangedFromRow(db: DrizzleD1Database, productId: string, now: Date) {
  const data = sql`json_object('product_id', ${stock.productId}, 'on_hand', ${stock.onHand}, 'reserved', ${stock.reserved},
    'available', ${stock.onHand} - ${stock.reserved}, 'version', ${stock.version})`
  return outboxInsertFromRow(db, EVENT_TYPES.stockChanged, productId, now, data, sql`${stock} WHERE ${stock.productId} = ${productId}`)
}
