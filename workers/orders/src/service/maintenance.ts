import { applyRetention, eventRules, REPLAY_WINDOW_MS, type RetentionRule } from '../../../../platform/events/retention'
import type { Env } from '../env'
import { ordersConfig } from '../config'
import { createViewRepairRepo } from '../repo/view-repair-repo'
import { reconcileReadModel } from './read-model-repair'

/** What orders keeps and for how long (docs/operations.md). */
export function ordersRetentionRules(env: Env): RetentionRule[] {
  const events = ordersConfig(env).eventRetentionMs
  return [
    eventRules.outbox(events),
    eventRules.inbox(events),
    ...eventRules.deadLetters(),
    // A key answers its stored response for 24 h; after that the same key places a new order.
    { name: 'idempotency_keys', table: 'idempotency_keys', expired: 'created_at < ?1', windowMs: REPLAY_WINDOW_MS },
  ]
}

/** The sweep's upkeep of one shard (`db`): retention in bounded batches, then the read model's reconciliation. */
export async function maintainOrders(env: Env, db: D1Database, now = Date.now()): Promise<void> {
  await applyRetention('orders', db, ordersRetentionRules(env), { now })
  await reconcileReadModel(createViewRepairRepo(db), now, { metrics: env.METRICS })
}
