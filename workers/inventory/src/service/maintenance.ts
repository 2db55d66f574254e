import { applyRetention, eventRules, REPLAY_WINDOW_MS, type RetentionRule } from '../../../../platform/events/retention'
import type { Env } from '../env'
import { inventoryConfig } from '../config'

/** What inventory keeps and for how long (docs/operations.md). */
export function inventoryRetentionRules(env: Env): RetentionRule[] {
  const events = inventoryConfig(env).eventRetentionMs
  return [
    eventRules.outbox(events),
    eventRules.inbox(events),
    ...eventRules.deadLetters(),
    // The saga's keyed calls answer a repeat for 24 h; sagas settle within minutes.
    { name: 'rpc_requests', table: 'rpc_requests', expired: 'created_at < ?1', windowMs: REPLAY_WINDOW_MS },
  ]
}

/** The sweep's upkeep: retention in bounded batches. */
export async function maintainInventory(env: Env, now = Date.now()): Promise<void> {
  await applyRetention('inventory', env.DB, inventoryRetentionRules(env), { now })
}
