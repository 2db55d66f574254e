import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core'
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

/**
 * A session: the family of refresh tokens one login started (docs/adr/0027). Revoking it ends
 * every token of it at once (logout, reuse detection, password change).
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    createdAt: text('created_at').notNull(),
    /** The absolute end: no rotation extends a session past it. */
    expiresAt: text('expires_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (table) => [index('sessions_user').on(table.userId)],
)

/** One refresh token of a session; only its SHA-256 is kept, never the token. */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    sessionId: text('session_id').notNull(),
    userId: text('user_id').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    /** Set when exchanged: a second exchange is a reuse, and ends the session. */
    usedAt: text('used_at'),
  },
  (table) => [index('refresh_tokens_session').on(table.sessionId), index('refresh_tokens_user').on(table.userId)],
)

/**
 * What users keeps of a deleted account: its id, roles and dates, so that an admin can tell a
 * deleted account from one that never existed. Never an email, a name or a hash (docs/adr/0028).
 */
export const deletedAccounts = sqliteTable('deleted_accounts', {
  id: text('id').primaryKey(),
  roles: text('roles', { mode: 'json' }).$type<Role[]>().notNull(),
  createdAt: text('created_at').notNull(),
  deletedAt: text('deleted_at').notNull(),
})

// users publishes events (user.registered) through its transactional outbox.
export { outbox } from '../../../../platform/events/tables'
