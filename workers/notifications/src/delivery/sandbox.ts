import { createLogger, type Logger } from '../../../../platform/telemetry/log'
import type { NotificationRecord } from '../service/notification'
import type { NotificationDelivery } from './delivery'

/** `ada@example.com` → `a***@example.com`: enough to correlate, not a mailing list in the logs. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@')
  if (at < 1) return '***'
  return `${address[0]}***${address.slice(at)}`
}

export interface SandboxOptions {
  /** Where the structured line goes (the notifications logger by default). */
  log?: Logger
}

/**
 * Local development and tests: nothing leaves the system. Delivery "succeeds" and says so in one
 * structured JSON line — never the body, never the full address.
 */
export function createSandboxDelivery({ log = createLogger('notifications') }: SandboxOptions = {}): NotificationDelivery {
  return {
    name: 'sandbox',
    async deliver(notification: NotificationRecord) {
      log.info('notification delivered (sandbox)', {
        notification_id: notification.id,
        user_id: notification.user_id,
        type: notification.type,
        channel: notification.channel,
        recipient: maskEmail(notification.recipient),
        order_id: notification.order_id,
      })
      return { delivered: true }
    },
  }
}
