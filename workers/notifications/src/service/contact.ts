/** Where to reach a user: copied from users' events, never asked of users. */
export interface Contact {
  user_id: string
  email: string
  name: string
}

/**
 * An event for a user whose contact has not arrived yet (their user.registered is still on its
 * way). Thrown, so the consumer retries the message with backoff; it is dead-lettered only if the
 * contact never comes, and a replay then succeeds once it has.
 */
export class ContactUnknownError extends Error {
  constructor(readonly userId: string) {
    super(`no contact yet for user ${userId}; retrying until their user.registered arrives`)
    this.name = 'ContactUnknownError'
  }
}
