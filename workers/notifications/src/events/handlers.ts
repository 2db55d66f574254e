import { DELETED_USER_ID, EVENT_TYPES, type CloudEvent, type EventData, type EventType } from '../../../../shared-contracts/events'
import type { EventHandlers } from '../../../../platform/events/consumer'
import { erasureStatement, recordErasure } from '../../../../platform/privacy/erasures'
import type { ContactsRepo } from '../repo/contacts-repo'
import type { NotificationsRepo } from '../repo/notifications-repo'
import { ContactUnknownError, type Contact } from '../service/contact'
import { newNotificationId, type NotificationDraft, type NotificationRecord } from '../service/notification'
import { orderCancelledMessage, orderConfirmedMessage, welcomeMessage } from '../service/templates'

/** The event types whose data names a user: the only ones a notification can be for. */
type UserEventType = { [T in EventType]: EventData<T> extends { user_id: string } ? T : never }[EventType]

/** What a builder decides; who it is for and where it goes come from the event's user and their contact. */
export type NotificationContent = Omit<NotificationDraft, 'user_id' | 'recipient'>
type ContentFor<T extends UserEventType> = (event: CloudEvent<EventData<T>>, contact: Contact) => NotificationContent
type NotificationBuilders = { [T in UserEventType]?: ContentFor<T> }

/**
 * The events notifications turns into a notification, one entry each: the data arrives parsed
 * with its contract schema, with the contact of the user it names. (An event type also needs a
 * line in shared-contracts/subscriptions.ts to reach this queue.)
 */
export const NOTIFICATION_BUILDERS: NotificationBuilders = {
  [EVENT_TYPES.userRegistered]: (_event, contact) => ({ type: 'welcome', channel: 'email', order_id: null, ...welcomeMessage(contact) }),
  [EVENT_TYPES.orderConfirmed]: ({ data }, contact) => ({
    type: 'order_confirmed',
    channel: 'email',
    order_id: data.order_id,
    ...orderConfirmedMessage(data, contact),
  }),
  [EVENT_TYPES.orderCancelled]: ({ data }, contact) => ({
    type: 'order_cancelled',
    channel: 'email',
    order_id: data.order_id,
    ...orderCancelledMessage(data, contact),
  }),
}

/**
 * The events that carry a user's contact details (event-carried state transfer): kept in the
 * `contacts` table, in the same batch as the event's own notification, for the events that name
 * only the user (orders).
 */
export const CONTACT_CARRIERS: { [T in UserEventType]?: (data: EventData<T>) => Contact } = {
  [EVENT_TYPES.userRegistered]: ({ user_id, email, name }) => ({ user_id, email, name }),
}

/** A notification is dated by what it announces; an unreadable event time falls back to now. */
function createdAt(event: CloudEvent, now: Date): string {
  const time = new Date(event.time)
  return Number.isNaN(time.getTime()) ? now.toISOString() : time.toISOString()
}

/**
 * What the consumer does after an event's batch: the first attempt at the notification it
 * recorded, or — for one recorded when the event first came, whose inbox row has since gone (a
 * replay) — the attempt `deliverForEvent` claims, if any is due.
 */
export type FirstDelivery = { notification: NotificationRecord } | { earlier: true }

export interface HandlerDeps {
  db: D1Database
  repo: NotificationsRepo
  contacts: ContactsRepo
  now: () => Date
  /** Told, for an event whose handler built a batch, what its delivery is once the batch lands. */
  onDelivery?: (event: CloudEvent, delivery: FirstDelivery) => void
}

type UserEvent = CloudEvent<{ user_id: string }>

interface Known {
  erased: boolean
  contact: Contact | null
  /** The event's notification is recorded already. */
  recorded: boolean
}

/** What a handler reads before it decides, in one D1 call: the user's erasure, their contact, the event's notification. */
async function lookUp({ db, repo, contacts }: HandlerDeps, event: UserEvent): Promise<Known> {
  const userId = event.data.user_id
  if (userId === DELETED_USER_ID) return { erased: true, contact: null, recorded: false }
  const [erased, contact, recorded] = await db.batch([
    erasureStatement(db, userId),
    contacts.findStatement(userId),
    repo.recordedStatement(event.source, event.id),
  ])
  return {
    erased: erased!.results.length > 0,
    contact: (contact!.results[0] as Contact | undefined) ?? null,
    recorded: recorded!.results.length > 0,
  }
}

/**
 * The consumer's handlers: each keeps the contact its event carries and records its notification,
 * in the batch with the inbox row. An event for a user whose contact is not known yet throws
 * (ContactUnknownError), so the consumer retries it with backoff and writes nothing.
 */
export function notificationHandlers(deps: HandlerDeps): EventHandlers {
  const { db, repo, contacts, now, onDelivery } = deps
  const builders = NOTIFICATION_BUILDERS as Partial<Record<UserEventType, ContentFor<UserEventType>>>
  const carriers = CONTACT_CARRIERS as Partial<Record<UserEventType, (data: unknown) => Contact>>
  const types = new Set([...Object.keys(builders), ...Object.keys(carriers)] as UserEventType[])
  const handlers: Partial<Record<EventType, (event: UserEvent) => Promise<D1PreparedStatement[]>>> = {}
  for (const type of types) {
    const build = builders[type]
    const carry = carriers[type]
    handlers[type] = async (event) => {
      const known = await lookUp(deps, event)
      // A deleted user is told nothing more, and no event brings their contact back (docs/adr/0028).
      if (known.erased) return []
      const recordedAt = now()
      const at = createdAt(event, recordedAt)
      const carried = carry?.(event.data)
      const effects = carried ? [contacts.upsertStatement(carried, at)] : []
      if (!build) return effects
      const contact = carried ?? known.contact
      if (!contact) throw new ContactUnknownError(event.data.user_id)
      if (known.recorded) {
        onDelivery?.(event, { earlier: true })
        return effects
      }
      const content = build(event as CloudEvent<EventData<UserEventType>>, contact)
      const draft: NotificationDraft = { ...content, user_id: event.data.user_id, recipient: contact.email }
      const notification: NotificationRecord = {
        ...draft,
        id: newNotificationId(),
        created_at: at,
        delivery_status: 'pending',
        delivery_attempts: 1, // its first attempt is claimed as it is recorded
      }
      onDelivery?.(event, { notification })
      return [
        ...effects,
        repo.insertStatement({
          id: notification.id,
          draft,
          createdAt: at,
          recordedAt: recordedAt.toISOString(),
          event: { source: event.source, id: event.id },
        }),
      ]
    }
  }
  handlers[EVENT_TYPES.userDeleted] = async (event) => eraseUser(db, event.data.user_id, now().toISOString())
  return handlers as EventHandlers
}

/**
 * user.deleted: the contact, every notification (their recipient and body name the person) and
 * the dead letters about the user go; the erasure is recorded so that late events change nothing.
 */
function eraseUser(db: D1Database, userId: string, at: string): D1PreparedStatement[] {
  return [
    recordErasure(db, userId, at),
    db.prepare('DELETE FROM contacts WHERE user_id = ?1').bind(userId),
    db.prepare('DELETE FROM notifications WHERE user_id = ?1').bind(userId),
    db.prepare("DELETE FROM dead_letters WHERE json_extract(body, '$.data.user_id') = ?1").bind(userId),
  ]
}
