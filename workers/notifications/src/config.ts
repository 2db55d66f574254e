import { ConfigError, defineConfig } from '../../../platform/env/config'
import { listVar, optionalTextVar } from '../../../platform/env/vars'
import { RETRY_VARS } from '../../../platform/events/consumer'
import { eventRetentionMs, RETENTION_VARS } from '../../../platform/events/retention'
import { INTERNAL_VARS, internalConfig } from '../../../platform/http/internal-app'
import type { NotificationDelivery } from './delivery/delivery'
import { createDelivery, type DeliverySettings } from './delivery/select'

/**
 * The delivery adapter, built once per configuration: its webhook URL is checked against its
 * policy here, so a bad one fails the config rather than the first delivery.
 */
function deliveryOf(settings: DeliverySettings): NotificationDelivery {
  try {
    return createDelivery(settings)
  } catch (error) {
    throw new ConfigError([error instanceof Error ? error.message : String(error)])
  }
}

/** Every var the notifications Worker reads, parsed once per configuration. */
export const notificationsConfig = defineConfig(
  {
    ...INTERNAL_VARS,
    ...RETENTION_VARS,
    ...RETRY_VARS,
    /** Empty: the sandbox adapter. A URL: notifications are POSTed there (https, an allowed host). */
    NOTIFICATION_WEBHOOK_URL: optionalTextVar(),
    /** The hosts the webhook may point at, comma-separated. */
    NOTIFICATION_WEBHOOK_ALLOWED_HOSTS: listVar(),
  },
  (vars) => ({
    ...internalConfig(vars),
    eventRetentionMs: eventRetentionMs(vars),
    retryBaseSeconds: vars.RETRY_BASE_SECONDS,
    delivery: deliveryOf({
      url: vars.NOTIFICATION_WEBHOOK_URL,
      allowedHosts: vars.NOTIFICATION_WEBHOOK_ALLOWED_HOSTS,
      environment: vars.ENVIRONMENT,
    }),
  }),
)

export type NotificationsConfig = ReturnType<typeof notificationsConfig>
