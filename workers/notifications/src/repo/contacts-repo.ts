import { eq, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import type { Contact } from '../service/contact'
import { contacts } from './schema'

export type ContactsRepo = ReturnType<typeof createContactsRepo>

export function createContactsRepo(d1: D1Database) {
  const db = drizzle(d1)

  return {
    /**
     * Keeps a user's contact, as a raw statement for the consumer's batch (with the inbox row and
     * the notification). `updatedAt` is the time of the event it comes from: the newest event wins,
     * whatever order they arrive in.
     */
    upsertStatement(contact: Contact, updatedAt: string): D1PreparedStatement {
      const query = db
        .insert(contacts)
        .values({ userId: contact.user_id, email: contact.email, name: contact.name, updatedAt })
        .onConflictDoUpdate({
          target: contacts.userId,
          set: { email: contact.email, name: contact.name, updatedAt },
          setWhere: sql`${contacts.updatedAt} <= excluded.updated_at`,
        })
        .toSQL()
      return d1.prepare(query.sql).bind(...query.params)
    },

    async find(userId: string): Promise<Contact | null> {
      const row = await db.select().from(contacts).where(eq(contacts.userId, userId)).get()
      return row ? { user_id: row.userId, email: row.email, name: row.name } : null
    },
  }
}
