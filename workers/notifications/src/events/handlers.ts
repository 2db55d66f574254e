import { EVENT_TYPES, type CloudEvent, type EventData, type EventType } from '../../../../shared-contracts/events'
import type { EventHandlers } from '../../../../platform/events/consumer'
import type { NotificationsRepo } from '../repo/notifications-repo'
import { newNotificationId, type NotificationDraft } from '../service/notification'
import { welcomeMessage } from '../service/templates'

type DraftFor<T extends EventType> = (event: CloudEvent<EventData<T>>) => NotificationDraft
type NotificationBuilders = { [T in EventType]?: DraftFor<T> }

/**
 * The events notifications turns into a notification, one entry each: the data arrives parsed
 * with its contract schema. Order confirmed / cancelled are added here when their events exist
 * (and to the subscription table, so they reach this queue).
 */
export const NOTIFICATION_BUILDERS: NotificationBuilders = {
  [EVENT_TYPES.userRegistered]: ({ data }) => ({
    user_id: data.user_id,
    type: 'welcome',
    channel: 'email',
    recipient: data.email,
    order_id: null,
    ...welcomeMessage(data),
  }),
}

/** A notification is dated by what it announces; an unreadable event time falls back to now. */
function createdAt(event: CloudEvent, now: Date): string {
  const time = new Date(event.time)
  return Number.isNaN(time.getTime()) ? now.toISOString() : time.toISOString()
}

/** The consumer's handlers: each records its event's notification in the batch with the inbox row. */
export function notificationHandlers(repo: NotificationsRepo, now: () => Date): EventHandlers {
  const handlers: Partial<Record<EventType, (event: CloudEvent) => Promise<D1PreparedStatement[]>>> = {}
  for (const [type, build] of Object.entries(NOTIFICATION_BUILDERS) as [EventType, DraftFor<EventType>][]) {
    handlers[type] = async (event) => {
      const recordedAt = now()
      const draft = build(event as CloudEvent<EventData<EventType>>)
      return [
        repo.insertStatement({
          id: newNotificationId(),
          draft,
          createdAt: createdAt(event, recordedAt),
          recordedAt: recordedAt.toISOString(),
          event: { source: event.source, id: event.id },
        }),
      ]
    }
  }
  return handlers as EventHandlers
}
