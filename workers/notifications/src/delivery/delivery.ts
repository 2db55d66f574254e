import type { NotificationRecord } from '../service/notification'
import { createSandboxDelivery } from './sandbox'
import { createWebhookDelivery } from './webhook'

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

/** The sandbox when no webhook is configured; otherwise the webhook. A malformed URL throws here. */
export function createDelivery(webhookUrl: string | undefined): NotificationDelivery {
  const url = webhookUrl?.trim()
  return url ? createWebhookDelivery({ url }) : createSandboxDelivery()
}
