import { applyRetention, eventRules, type RetentionRule } from '../../../../platform/events/retention'
import type { Env } from '../env'
import { notificationsConfig } from '../config'

/** What notifications keeps and for how long (docs/operations.md). */
export function notificationsRetentionRules(env: Env): RetentionRule[] {
  const events = notificationsConfig(env).eventRetentionMs
  return [eventRules.inbox(events), ...eventRules.deadLetters()]
}

/** The sweep's upkeep: retention in bounded batches. */
export async function maintainNotifications(env: Env, now = Date.now()): Promise<void> {
  await applyRetention('notifications', env.DB, notificationsRetentionRules(env), { now })
}
