import { createLogger, type Logger } from '../../../../platform/telemetry/log'
import type { NotificationDelivery, DeliveryOutcome } from '../delivery/delivery'
import type { NotificationsRepo } from '../repo/notifications-repo'
import type { NotificationRecord } from './notification'

/** Attempts per notification, the first included; then it stays `failed` for someone to look at. */
export const MAX_DELIVERY_ATTEMPTS = 5
/** A pending or failed notification is tried again once its last attempt is this old. */
export const RETRY_AFTER_MS = 60_000

export interface DeliveryServiceDeps {
  repo: NotificationsRepo
  delivery: NotificationDelivery
  now: () => Date
  maxAttempts?: number
  retryAfterMs?: number
  log?: Logger
}

export interface SweepReport {
  attempted: number
  delivered: number
}

export type DeliveryService = ReturnType<typeof createDeliveryService>

/**
 * Delivers recorded notifications and records how it went. Every attempt is claimed first (its
 * count goes up and it is stamped; the first one as the notification is recorded), so the first
 * delivery and the sweep never send one notification at the same time, and a crash mid-attempt
 * still counts against the bound.
 */
export function createDeliveryService({
  repo,
  delivery,
  now,
  maxAttempts = MAX_DELIVERY_ATTEMPTS,
  retryAfterMs = RETRY_AFTER_MS,
  log = createLogger('notifications'),
}: DeliveryServiceDeps) {
  async function attempt(notification: NotificationRecord): Promise<DeliveryOutcome> {
    let outcome: DeliveryOutcome
    try {
      outcome = await delivery.deliver(notification)
    } catch {
      outcome = { delivered: false, reason: 'adapter_error' } // an adapter bug must not lose the notification either
    }
    await repo.recordOutcome(notification.id, outcome.delivered ? 'delivered' : 'failed', outcome.delivered ? null : outcome.reason)
    if (!outcome.delivered) {
      log.warn(
        notification.delivery_attempts >= maxAttempts ? 'notification delivery abandoned' : 'notification delivery failed; will retry',
        {
          notification_id: notification.id,
          adapter: delivery.name,
          attempts: notification.delivery_attempts,
          reason: outcome.reason,
        },
      )
    }
    return outcome
  }

  async function attemptAll(claimed: NotificationRecord[]): Promise<SweepReport> {
    let delivered = 0
    for (const notification of claimed) if ((await attempt(notification)).delivered) delivered++
    return { attempted: claimed.length, delivered }
  }

  return {
    /**
     * The first attempt at a notification just recorded with that attempt claimed
     * (`insertStatement`): made at once, with no claim of its own.
     */
    async deliverRecorded(notification: NotificationRecord): Promise<SweepReport> {
      return attemptAll([notification])
    },

    /** An attempt at an event's notification recorded earlier, claimed first (none if delivered or exhausted). */
    async deliverForEvent(event: { source: string; id: string }): Promise<SweepReport> {
      return attemptAll(await repo.claimForEvent(event.source, event.id, now().toISOString(), maxAttempts))
    },

    /**
     * The scheduled sweep: pending or failed notifications whose last attempt is over a minute
     * old, at most `limit`. Each is claimed just before its attempt, so a slow sweep never holds
     * stale claims that the next minute's sweep would take over.
     */
    async retryDue(limit = 50): Promise<SweepReport> {
      const report: SweepReport = { attempted: 0, delivered: 0 }
      while (report.attempted < limit) {
        const at = now()
        const [notification] = await repo.claimDue({
          cutoff: new Date(at.getTime() - retryAfterMs).toISOString(),
          maxAttempts,
          limit: 1,
          now: at.toISOString(),
        })
        if (!notification) break
        report.attempted++
        if ((await attempt(notification)).delivered) report.delivered++
      }
      return report
    },
  }
}
