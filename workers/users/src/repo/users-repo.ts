import { and, eq, sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import { drizzle } from 'drizzle-orm/d1'
import { EVENT_TYPES, type CloudEvent } from '../../../../shared-contracts/events'
import type { AdminUser, User } from '../../../../shared-contracts/users'
import { outboxInsert } from '../../../../platform/events/outbox-insert'
import { deletedAccounts, outbox, users, type UserRow } from './schema'
import { isUniqueViolation } from '../../../../platform/db/sql-errors'

/** Statements of several repositories written together in one `db.batch`. */
export type Statement = BatchItem<'sqlite'>

/** What the service knows of a stored user: the contract shape plus the secret it must check. */
export interface StoredUser {
  user: User
  passwordHash: string
}

function toStored(row: UserRow): StoredUser {
  return {
    user: { id: row.id, email: row.email, name: row.name, roles: row.roles, created_at: row.createdAt },
    passwordHash: row.passwordHash,
  }
}

export type UsersRepo = ReturnType<typeof createUsersRepo>

export function createUsersRepo(d1: D1Database) {
  const db = drizzle(d1)
  return {
    /**
     * Inserts a user and the event announcing it, atomically (one batch: both or neither);
     * `false` when the email is taken.
     */
    async insert(user: User, passwordHash: string, event: CloudEvent): Promise<boolean> {
      try {
        const insertUser = db.insert(users).values({
          id: user.id,
          email: user.email,
          name: user.name,
          passwordHash,
          roles: user.roles,
          createdAt: user.created_at,
          updatedAt: user.created_at,
        })
        await db.batch([insertUser, outboxInsert(db, event)])
        return true
      } catch (error) {
        if (isUniqueViolation(error)) return false
        throw error
      }
    },

    async findByEmail(email: string): Promise<StoredUser | null> {
      const row = await db.select().from(users).where(eq(users.email, email)).get()
      return row ? toStored(row) : null
    },

    async findById(id: string): Promise<User | null> {
      return (await this.findStoredById(id))?.user ?? null
    },

    async findStoredById(id: string): Promise<StoredUser | null> {
      const row = await db.select().from(users).where(eq(users.id, id)).get()
      return row ? toStored(row) : null
    },

    /** A deleted account, as kept: never personal data. */
    async findDeleted(id: string): Promise<AdminUser | null> {
      const row = await db.select().from(deletedAccounts).where(eq(deletedAccounts.id, id)).get()
      return row ? { id: row.id, status: 'deleted', roles: row.roles, created_at: row.createdAt, deleted_at: row.deletedAt } : null
    },

    setPasswordStatement: (id: string, passwordHash: string, now: string): Statement =>
      db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, id)),

    /**
     * Forgets the person (email, name, hash) and keeps the account's bare facts, with the event
     * announcing it. The user.registered event in the outbox carried the email and name: it goes
     * too (nothing will re-send it).
     */
    eraseStatements: (user: User, deletedAt: string, deleted: CloudEvent): Statement[] => [
      db.delete(users).where(eq(users.id, user.id)),
      db.insert(deletedAccounts).values({ id: user.id, roles: user.roles, createdAt: user.created_at, deletedAt }),
      db
        .delete(outbox)
        .where(and(eq(outbox.type, EVENT_TYPES.userRegistered), sql`json_extract(${outbox.envelope}, '$.subject') = ${user.id}`)),
      outboxInsert(db, deleted),
    ],

    async commit(statements: Statement[]): Promise<void> {
      await db.batch(statements as [Statement, ...Statement[]])
    },

    async updateName(id: string, name: string, now: string): Promise<User | null> {
      const row = await db.update(users).set({ name, updatedAt: now }).where(eq(users.id, id)).returning().get()
      return row ? toStored(row).user : null
    },
  }
}
