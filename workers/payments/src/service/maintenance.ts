import { applyRetention, eventRules, type RetentionRule } from '../../../../platform/events/retention'
import type { Env } from '../env'
import { paymentsConfig } from '../config'

/** What payments keeps and for how long (docs/operations.md). */
export function paymentsRetentionRules(env: Env): RetentionRule[] {
  const events = paymentsConfig(env).eventRetentionMs
  // Payments themselves are financial records: kept. Its consumer's inbox and dead letters are not.
  return [eventRules.outbox(events), eventRules.inbox(events), ...eventRules.deadLetters()]
}

/** The sweep's upkeep: retention in bounded batches. */
export async function maintainPayments(env: Env, now = Date.now()): Promise<void> {
  await applyRetention('payments', env.DB, paymentsRetentionRules(env), { now })
}
