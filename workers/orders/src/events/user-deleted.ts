import { pseudonymiseRows, pseudonymiseStoredEvents, recordErasure } from '../../../../platform/privacy/erasures'
import { DELETED_USER_ID } from '../../../../shared-contracts/events'

/**
 * user.deleted: the orders stay (business records: amounts, items, outcomes), without the user.
 * Their id becomes the shared tombstone in the aggregate, the read model, the saga summaries'
 * inputs and the events kept here; the idempotency records (whose stored answers name the user)
 * go, since no one can retry as that user again. An order still in its saga goes on: the saga
 * works by order id, and its outcome event names no one, so no notification is sent.
 */
export function eraseUserStatements(db: D1Database, userId: string, at: string): D1PreparedStatement[] {
  return [
    recordErasure(db, userId, at),
    pseudonymiseRows(db, 'orders', userId),
    pseudonymiseRows(db, 'order_views', userId),
    db.prepare('DELETE FROM idempotency_keys WHERE user_id = ?1').bind(userId),
    db
      .prepare(
        "UPDATE sagas SET input = json_set(input, '$.user_id', ?1) WHERE input IS NOT NULL AND json_extract(input, '$.user_id') = ?2",
      )
      .bind(DELETED_USER_ID, userId),
    ...pseudonymiseStoredEvents(db, userId),
  ]
}
