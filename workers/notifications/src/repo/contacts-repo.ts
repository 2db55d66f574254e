import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import type { Contact } from '../service/contact'
import { contacts } from './schema'

export type ContactsRepo = ReturnType<typeof createContactsRepo>

export function createContactsRepo(d1: D1Database) {
  const db = drizzle(d1)
  /** The read behind `find`, for a batch of reads: the contact's row, if known, as a Contact. */
  const findStatement = (userId: string) => d1.prepare('SELECT user_id, email, name FROM contacts WHERE user_id = ?1').bind(userId)

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

    findStatement,

    async find(userId: string): Promise<Contact | null> {
      return (await findStatement(userId).first<Contact>()) ?? null
    },
  }
}
