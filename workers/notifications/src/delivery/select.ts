import type { NotificationDelivery } from './delivery'
import { createSandboxDelivery } from './sandbox'
import { createWebhookDelivery } from './webhook'

/** The webhook's settings as the config parsed them: no URL means the sandbox. */
export interface DeliverySettings {
  url?: string
  allowedHosts: readonly string[]
  environment: string
}

/** Where a webhook on this machine's own network is normal: local development and the tests. */
export const LOCAL_ENVIRONMENTS = ['development', 'test']

/**
 * The sandbox when no webhook is configured; otherwise the webhook. A URL that is malformed or
 * outside the allow-list throws here. The Worker's config calls this once per configuration.
 */
export function createDelivery({ url, allowedHosts, environment }: DeliverySettings): NotificationDelivery {
  if (url === undefined) return createSandboxDelivery()
  return createWebhookDelivery({ url, allowedHosts: [...allowedHosts], allowPrivateNetwork: LOCAL_ENVIRONMENTS.includes(environment) })
}
