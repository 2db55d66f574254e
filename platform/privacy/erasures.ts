import { sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { DELETED_USER_ID } from '../../shared-contracts/events'

// Account deletion as each consuming service carries it out (docs/adr/0028). A service keeps the
// ids of the users it has erased: a user's events may arrive after their user.deleted (queues do
// not order across producers), and none of them may bring the person back. Each service's
// migrations add triggers on the tables that name a user, so that even a write that raced the
// erasure is caught by the database itself.

/** The users this service has erased. Re-exported by each consuming service's drizzle schema. */
export const erasedUsers = sqliteTable('erased_users', {
  userId: text('user_id').primaryKey(),
  erasedAt: text('erased_at').notNull(),
})

/** Records the erasure, once (a redelivered user.deleted changes nothing). */
export function recordErasure(db: D1Database, userId: string, erasedAt: string): D1PreparedStatement {
  return db.prepare('INSERT INTO erased_users (user_id, erased_at) VALUES (?1, ?2) ON CONFLICT(user_id) DO NOTHING').bind(userId, erasedAt)
}

/** The read behind `isErased`, for a batch of reads: it answers a row if the user was erased here. */
export function erasureStatement(db: D1Database, userId: string): D1PreparedStatement {
  return db.prepare('SELECT 1 FROM erased_users WHERE user_id = ?1').bind(userId)
}

/** Whether an event about this user must be ignored: they were erased here, or the event already names no one. */
export async function isErased(db: D1Database, userId: string): Promise<boolean> {
  if (userId === DELETED_USER_ID) return true
  return (await erasureStatement(db, userId).first()) !== null
}

/**
 * Replaces the user's id in the events this service keeps as JSON (its outbox and its dead
 * letters), so that neither a retry nor a replay sends it out again.
 */
export function pseudonymiseStoredEvents(db: D1Database, userId: string): D1PreparedStatement[] {
  const redact = (table: string, column: string) =>
    db
      .prepare(
        `UPDATE ${table} SET ${column} = json_set(${column}, '$.data.user_id', ?1) WHERE json_extract(${column}, '$.data.user_id') = ?2`,
      )
      .bind(DELETED_USER_ID, userId)
  return [redact('outbox', 'envelope'), redact('dead_letters', 'body')]
}

/** Replaces the user's id by the shared tombstone in a table that keeps business records. */
export function pseudonymiseRows(db: D1Database, table: string, userId: string): D1PreparedStatement {
  return db.prepare(`UPDATE ${table} SET user_id = ?1 WHERE user_id = ?2`).bind(DELETED_USER_ID, userId)
}
