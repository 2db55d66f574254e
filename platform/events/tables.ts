import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

// The tables of the event backbone. Each service's drizzle schema re-exports the ones it uses,
// so drizzle-kit puts them into that service's migrations: every service owns its own copy.

/** Transactional outbox: written in the same batch as the state change it announces. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    envelope: text('envelope').notNull(),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
    /** A relay holds a row until this time (ms since the epoch) while it sends it. */
    claimedUntil: integer('claimed_until'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (table) => [index('outbox_pending').on(table.sentAt, table.createdAt)],
)

/** Idempotent consumer: an event's effect and its inbox row are written together, once. */
export const inbox = sqliteTable(
  'inbox',
  {
    source: text('source').notNull(),
    id: text('id').notNull(),
    type: text('type').notNull(),
    processedAt: text('processed_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.source, table.id] })],
)

/** Messages that exhausted their retries, kept for an admin to inspect and replay. */
export const deadLetters = sqliteTable('dead_letters', {
  id: text('id').primaryKey(),
  eventId: text('event_id'),
  eventType: text('event_type'),
  body: text('body').notNull(),
  attempts: integer('attempts').notNull(),
  receivedAt: text('received_at').notNull(),
  replayedAt: text('replayed_at'),
})
