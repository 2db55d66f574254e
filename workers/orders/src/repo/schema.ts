import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import type { CancellationReason, OrderItem, OrderStatus, SagaStatus } from '../../../../shared-contracts/orders'

/** The order aggregate: written by commands (place, confirm, cancel), each with its outbox event. */
export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    status: text('status').$type<OrderStatus>().notNull(),
    items: text('items', { mode: 'json' }).$type<OrderItem[]>().notNull(),
    totalCents: integer('total_cents').notNull(),
    currency: text('currency').notNull(),
    cancellationReason: text('cancellation_reason').$type<CancellationReason>(),
    /** 1 when placed, +1 per transition; carried by every order event. */
    version: integer('version').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [index('orders_user_created').on(table.userId, table.createdAt, table.id)],
)
export type OrderRow = typeof orders.$inferSelect

/** POST /api/v1/orders idempotency: one row per (user, key), the stored answer once done. */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    userId: text('user_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    /** `done` with its response, written with the order (docs/adr/0070); `in_flight` only in rows an earlier build left. */
    state: text('state').$type<'in_flight' | 'done'>().notNull(),
    claimedAt: integer('claimed_at').notNull(),
    orderId: text('order_id'),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    createdAt: text('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.key] })],
)
export type IdempotencyRow = typeof idempotencyKeys.$inferSelect

/** The read model (queries): fed by order events, the highest version per order wins. */
export const orderViews = sqliteTable(
  'order_views',
  {
    orderId: text('order_id').primaryKey(),
    userId: text('user_id').notNull(),
    status: text('status').$type<OrderStatus>().notNull(),
    items: text('items', { mode: 'json' }).$type<OrderItem[]>().notNull(),
    totalCents: integer('total_cents').notNull(),
    currency: text('currency').notNull(),
    cancellationReason: text('cancellation_reason'),
    version: integer('version').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** When this version reached the view: `applied_at − updated_at` is how far the view trailed its aggregate. */
    appliedAt: text('applied_at'),
  },
  (table) => [index('order_views_user_created').on(table.userId, table.createdAt, table.orderId)],
)
export type OrderViewRow = typeof orderViews.$inferSelect

/** A summary of each saga: written with its order, then by its coordinator (the DO) when it changes status, waits or ends: the admin list. */
export const sagas = sqliteTable(
  'sagas',
  {
    orderId: text('order_id').primaryKey(),
    status: text('status').$type<SagaStatus>().notNull(),
    steps: text('steps').notNull(),
    /** The coordinator's revision: an older write never overwrites a newer one. */
    revision: integer('revision').notNull(),
    /**
     * The saga's input, written with the order (revision 0) so that a saga whose start was lost
     * is started by the scheduled sweep; cleared once the saga ends (it holds the payment token).
     */
    input: text('input'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    index('sagas_status_created').on(table.status, table.createdAt, table.orderId),
    index('sagas_created').on(table.createdAt, table.orderId),
  ],
)

// orders publishes (outbox), consumes its own events (inbox) and keeps dead letters.
export { outbox, inbox, deadLetters } from '../../../../platform/events/tables'
// The users it has erased: their orders keep no user id, whatever arrives late (docs/adr/0028).
export { erasedUsers } from '../../../../platform/privacy/erasures'
