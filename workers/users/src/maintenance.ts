import { applyRetention, eventRetentionMs, eventRules, type RetentionRule } from '../../../platform/events/retention'
import type { Env } from './env'

/** What users keeps and for how long (README "Operations"). */
export function usersRetentionRules(env: Env): RetentionRule[] {
  const events = eventRetentionMs(env)
  return [eventRules.outbox(events)]
}

/** The sweep's upkeep: retention in bounded batches. */
export async function maintainUsers(env: Env, now = Date.now()): Promise<void> {
  await applyRetention('users', env.DB, usersRetentionRules(env), { now })
}
