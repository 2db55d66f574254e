import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

export { deadLetters, inbox, outbox } from '../../../../platform/events/tables'

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull(),
    /** Grows with every change of the catalog fields: events carry it, consumers keep the highest. */
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    // SKUs are unique whatever their case: "abc-1" and "ABC-1" are one product to a human.
    uniqueIndex('products_sku_unique').on(sql`lower(${table.sku})`),
    index('products_created_at_id').on(table.createdAt, table.id),
    check('products_price_positive', sql`${table.priceCents} > 0`),
    check('products_currency_iso4217', sql`${table.currency} GLOB '[A-Z][A-Z][A-Z]'`),
  ],
)

/**
 * One row per product. The CHECK constraints are the stock invariant: a reservation that would
 * take `reserved` above `on_hand` makes its statement, and so its whole batch, fail.
 */
export const stock = sqliteTable(
  'stock',
  {
    productId: text('product_id')
      .primaryKey()
      .references(() => products.id),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    /** Grows with every change of the levels; stock.changed events carry it. */
    version: integer('version').notNull().default(0),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    check('stock_on_hand_not_negative', sql`${table.onHand} >= 0`),
    check('stock_reserved_not_negative', sql`${table.reserved} >= 0`),
    check('stock_reserved_within_on_hand', sql`${table.reserved} <= ${table.onHand}`),
  ],
)

export const RESERVATION_STATUSES = ['reserved', 'released', 'committed'] as const
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number]

/**
 * One row per order: the reservation's state machine. A release of an order with nothing
 * reserved leaves a `released` row with no items, so that a late reserve cannot take stock
 * for an order the saga has already compensated.
 */
export const reservations = sqliteTable(
  'reservations',
  {
    orderId: text('order_id').primaryKey(),
    reservationId: text('reservation_id').notNull().unique(),
    status: text('status', { enum: RESERVATION_STATUSES }).notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [check('reservations_status_known', sql`${table.status} IN ('reserved', 'released', 'committed')`)],
)

/** What an order reserved, line by line; written once with the reservation, never changed. */
export const reservationItems = sqliteTable(
  'reservation_items',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => reservations.orderId),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    quantity: integer('quantity').notNull(),
    unitPriceCents: integer('unit_price_cents').notNull(),
    currency: text('currency').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.productId] }),
    check('reservation_items_quantity_positive', sql`${table.quantity} > 0`),
  ],
)

/**
 * The one transition of each reservation out of `reserved`, kept as history. It is also the
 * guard of the transition's batch: `from_status` is read from the reservation inside the batch,
 * and a reservation that is missing or no longer `reserved` fails the insert (NOT NULL, CHECK)
 * and so the whole batch, stock changes included.
 */
export const reservationTransitions = sqliteTable(
  'reservation_transitions',
  {
    orderId: text('order_id')
      .primaryKey()
      .references(() => reservations.orderId),
    fromStatus: text('from_status', { enum: RESERVATION_STATUSES }).notNull(),
    toStatus: text('to_status', { enum: RESERVATION_STATUSES }).notNull(),
    at: text('at').notNull(),
  },
  (table) => [
    check('reservation_transitions_from_reserved', sql`${table.fromStatus} = 'reserved'`),
    check('reservation_transitions_to_final', sql`${table.toStatus} IN ('released', 'committed')`),
  ],
)

/** The outcome of each keyed RPC call, so that the same key answers the same result and acts once. */
export const rpcRequests = sqliteTable(
  'rpc_requests',
  {
    caller: text('caller').notNull(),
    key: text('key').notNull(),
    operation: text('operation').notNull(),
    /** SHA-256 of the canonical request: the same key with another request is refused. */
    fingerprint: text('fingerprint').notNull(),
    /** The Result answered, as JSON. */
    result: text('result').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.caller, table.key] })],
)

/**
 * The product cache's stamps (docs/caching.md): one row per product (`product:<id>`) and one for
 * the list's membership (`list`). A write bumps its products' stamps in its own batch to the next
 * number of one sequence over the whole table, so "what changed since stamp N" is one indexed
 * range read; `changed_at` (ms since the epoch) lets an isolate that has just started read only
 * the changes recent enough to matter. D1, not KV: every isolate that asks sees a bump at once.
 */
export const cacheStamps = sqliteTable(
  'cache_stamps',
  {
    key: text('key').primaryKey(),
    stamp: integer('stamp').notNull(),
    changedAt: integer('changed_at').notNull(),
  },
  (table) => [uniqueIndex('cache_stamps_stamp').on(table.stamp), index('cache_stamps_changed_at').on(table.changedAt)],
)

export type ProductRow = typeof products.$inferSelect
export type StockRow = typeof stock.$inferSelect
