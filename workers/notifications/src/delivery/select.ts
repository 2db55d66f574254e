import type { NotificationDelivery } from './delivery'
import { createSandboxDelivery } from './sandbox'
import { createWebhookDelivery } from './webhook'
import { parseAllowedHosts } from './webhook-url'

export interface DeliverySettings {
  NOTIFICATION_WEBHOOK_URL?: string
  NOTIFICATION_WEBHOOK_ALLOWED_HOSTS?: string
  ENVIRONMENT: string
}

/** Where a webhook on this machine's own network is normal: local development and the tests. */
export const LOCAL_ENVIRONMENTS = ['development', 'test']

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
