import { ConfigError, defineConfig } from '../../../platform/env/config'
import { optionalTextVar } from '../../../platform/env/vars'
import { RETRY_VARS } from '../../../platform/events/consumer'
import { eventRetentionMs, RETENTION_VARS } from '../../../platform/events/retention'
import { INTERNAL_VARS, internalConfig } from '../../../platform/http/internal-app'
import { LOCAL_ENVIRONMENTS, type DeliverySettings } from './delivery/select'
import { parseAllowedHosts, parseWebhookUrl } from './delivery/webhook-url'

/** The webhook's settings, its URL checked against its policy now rather than at the first delivery. */
function deliverySettings(url: string | undefined, hosts: string | undefined, environment: string): DeliverySettings {
  const settings = { NOTIFICATION_WEBHOOK_URL: url, NOTIFICATION_WEBHOOK_ALLOWED_HOSTS: hosts, ENVIRONMENT: environment }
  if (url === undefined) return settings
  try {
    parseWebhookUrl(url, { allowedHosts: parseAllowedHosts(hosts), allowPrivateNetwork: LOCAL_ENVIRONMENTS.includes(environment) })
  } catch (error) {
    throw new ConfigError([error instanceof Error ? error.message : String(error)])
  }
  return settings
}

/** Every var the notifications Worker reads, parsed once per configuration. */
export const notificationsConfig = defineConfig(
  {
    ...INTERNAL_VARS,
    ...RETENTION_VARS,
    ...RETRY_VARS,
    /** Empty: the sandbox adapter. A URL: notifications are POSTed there (https, an allowed host). */
    NOTIFICATION_WEBHOOK_URL: optionalTextVar(),
    NOTIFICATION_WEBHOOK_ALLOWED_HOSTS: optionalTextVar(),
  },
  (vars) => ({
    ...internalConfig(vars),
    eventRetentionMs: eventRetentionMs(vars),
    retryBaseSeconds: vars.RETRY_BASE_SECONDS,
    delivery: deliverySettings(vars.NOTIFICATION_WEBHOOK_URL, vars.NOTIFICATION_WEBHOOK_ALLOWED_HOSTS, vars.ENVIRONMENT),
  }),
)

export type NotificationsConfig = ReturnType<typeof notificationsConfig>
