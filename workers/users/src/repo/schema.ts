import { sqliteTable, text } from 'drizzle-orm/sqlite-core'
import type { Role } from '../../../../shared-contracts/users'

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  /** Stored lower-cased: the unique index is the duplicate check. */
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`: parameters travel with the hash. */
  passwordHash: text('password_hash').notNull(),
  roles: text('roles', { mode: 'json' }).$type<Role[]>().notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
})

export type UserRow = typeof users.$inferSelect

// users publishes events (user.registered) through its transactional outbox.
export { outbox } from '../../../../platform/events/tables'
