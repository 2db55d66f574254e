import type { NotificationRecord } from '../service/notification'
import { createSandboxDelivery } from './sandbox'
import { createWebhookDelivery } from './webhook'
import { parseAllowedHosts } from './webhook-url'

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

export interface DeliverySettings {
  NOTIFICATION_WEBHOOK_URL?: string
  NOTIFICATION_WEBHOOK_ALLOWED_HOSTS?: string
  ENVIRONMENT: string
}

/** Where a webhook on this machine's own network is normal: local development and the tests. */
const LOCAL_ENVIRONMENTS = ['development', 'test']

/**
 * The sandbox when no webhook is configured; otherwise the webhook. A URL that is malformed or
 * outside the allow-list throws here.
 */
export function createDelivery(settings: DeliverySettings): NotificationDelivery {
  const url = settings.NOTIFICATION_WEBHOOK_URL?.trim()
  if (!url) return createSandboxDelivery()
  return createWebhookDelivery({
    url,
    allowedHosts: parseAllowedHosts(settings.NOTIFICATION_WEBHOOK_ALLOWED_HOSTS),
    allowPrivateNetwork: LOCAL_ENVIRONMENTS.includes(settings.ENVIRONMENT),
  })
}
