import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import type { CloudEvent } from '../../../../shared-contracts/events'
import type { User } from '../../../../shared-contracts/users'
import { outboxInsert } from '../../../../platform/events/outbox'
import { users, type UserRow } from './schema'

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

function isUniqueViolation(error: unknown): boolean {
  const message = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error)
  return message.includes('UNIQUE constraint failed')
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
      const row = await db.select().from(users).where(eq(users.id, id)).get()
      return row ? toStored(row).user : null
    },

    async updateName(id: string, name: string, now: string): Promise<User | null> {
      const row = await db.update(users).set({ name, updatedAt: now }).where(eq(users.id, id)).returning().get()
      return row ? toStored(row).user : null
    },
  }
}
