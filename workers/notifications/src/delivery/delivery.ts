import type { NotificationRecord } from '../service/notification'

/** What a delivery attempt came to. `reason` is short and safe to store and log (no URL, no body). */
export type DeliveryOutcome = { delivered: true } | { delivered: false; reason: string }

/**
 * Hands a notification to its channel. Adapters never throw for a failed delivery: a failure
 * is an outcome, recorded on the notification and retried by the sweep.
 */
export interface NotificationDelivery {
  /** Which adapter this is, for logs. */
  readonly name: string
  deliver(notification: NotificationRecord): Promise<DeliveryOutcome>
}
