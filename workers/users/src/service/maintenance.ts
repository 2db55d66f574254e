import { applyRetention, eventRules, type RetentionRule } from '../../../../platform/events/retention'
import { usersConfig } from '../config'
import type { Env } from '../env'

/** A day's grace before an ended session and its refresh tokens are deleted (they answer 401 from the moment they end). */
export const ENDED_SESSION_GRACE_MS = 24 * 60 * 60 * 1000
const ended = `(revoked_at IS NOT NULL AND revoked_at < ?1) OR expires_at < ?1`

/** What users keeps and for how long (docs/operations.md). */
export function usersRetentionRules(env: Env): RetentionRule[] {
  const events = usersConfig(env).eventRetentionMs
  return [
    eventRules.outbox(events),
    // Sessions that ended (revoked, or past their expiry) a day ago, their tokens first; and any
    // token past its own expiry. A live session's used tokens stay: reuse detection needs them.
    {
      name: 'refresh_tokens_ended',
      table: 'refresh_tokens',
      expired: `session_id IN (SELECT id FROM sessions WHERE ${ended})`,
      windowMs: ENDED_SESSION_GRACE_MS,
    },
    { name: 'refresh_tokens_expired', table: 'refresh_tokens', expired: 'expires_at < ?1', windowMs: ENDED_SESSION_GRACE_MS },
    { name: 'sessions', table: 'sessions', expired: ended, windowMs: ENDED_SESSION_GRACE_MS },
  ]
}

/** The sweep's upkeep: retention in bounded batches. */
export async function maintainUsers(env: Env, now = Date.now()): Promise<void> {
  await applyRetention('users', env.DB, usersRetentionRules(env), { now })
}
