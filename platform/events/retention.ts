import type { VarsOf } from '../env/config'
import { positiveNumberVar } from '../env/vars'
import { createLogger } from '../telemetry/log'

// What a service keeps, and for how long. Every rule deletes in bounded batches, so one sweep
// costs at most `batchSize × maxBatches` deletions per rule however far behind it is; the next
// sweep (a minute later) takes the rest. Tables are bounded by their windows, not by history.

const DAY_MS = 24 * 60 * 60 * 1000

/** Sent outbox rows (what a replay can re-publish) and inbox rows (what a consumer dedupes on): 7 days. */
export const DEFAULT_EVENT_RETENTION_DAYS = 7
/** Idempotency keys and RPC request records answer a repeat for 24 h; after that a key is new. */
export const REPLAY_WINDOW_MS = DAY_MS
/** Dead letters nobody replayed are kept 30 days; a replayed one a day after its replay. */
export const DEAD_LETTER_RETENTION_MS = 30 * DAY_MS
export const REPLAYED_DEAD_LETTER_RETENTION_MS = DAY_MS

export interface RetentionRule {
  /** For the report and the logs, e.g. `outbox`. */
  name: string
  table: string
  /** A condition on the table's rows with `?1` as the cutoff (an RFC 3339 string). */
  expired: string
  /** How old a row must be, in ms. */
  windowMs: number
}

export interface RetentionOptions {
  now?: number
  batchSize?: number
  maxBatches?: number
}

export type RetentionReport = Record<string, number>

/** EVENT_RETENTION_DAYS (part of a Worker's config): a positive number of days, 7 when unset. */
export const RETENTION_VARS = { EVENT_RETENTION_DAYS: positiveNumberVar(DEFAULT_EVENT_RETENTION_DAYS) }

/** The event retention window in ms, from the parsed vars. */
export const eventRetentionMs = (vars: VarsOf<typeof RETENTION_VARS>): number => vars.EVENT_RETENTION_DAYS * DAY_MS

/** The backbone's rules, for the tables a service has (its schema re-exports them from ./tables). */
export const eventRules = {
  outbox: (windowMs: number): RetentionRule => ({
    name: 'outbox',
    table: 'outbox',
    expired: 'sent_at IS NOT NULL AND sent_at < ?1',
    windowMs,
  }),
  inbox: (windowMs: number): RetentionRule => ({ name: 'inbox', table: 'inbox', expired: 'processed_at < ?1', windowMs }),
  deadLetters: (): RetentionRule[] => [
    { name: 'dead_letters', table: 'dead_letters', expired: 'received_at < ?1', windowMs: DEAD_LETTER_RETENTION_MS },
    {
      name: 'dead_letters_replayed',
      table: 'dead_letters',
      expired: 'replayed_at IS NOT NULL AND replayed_at < ?1',
      windowMs: REPLAYED_DEAD_LETTER_RETENTION_MS,
    },
  ],
}

/** Deletes at most `limit` expired rows of one rule; answers how many went. */
export async function pruneBatch(db: D1Database, rule: RetentionRule, now: number, limit: number): Promise<number> {
  const cutoff = new Date(now - rule.windowMs).toISOString()
  const result = await db
    .prepare(`DELETE FROM ${rule.table} WHERE rowid IN (SELECT rowid FROM ${rule.table} WHERE ${rule.expired} LIMIT ?2)`)
    .bind(cutoff, limit)
    .run()
  return result.meta.changes ?? 0
}

/** One retention pass over every rule (the sweep calls it); a failing rule does not stop the others. */
export async function applyRetention(
  service: string,
  db: D1Database,
  rules: readonly RetentionRule[],
  options: RetentionOptions = {},
): Promise<RetentionReport> {
  const { now = Date.now(), batchSize = 500, maxBatches = 4 } = options
  const report: RetentionReport = {}
  for (const rule of rules) {
    let deleted = 0
    try {
      for (let batch = 0; batch < maxBatches; batch++) {
        const changes = await pruneBatch(db, rule, now, batchSize)
        deleted += changes
        if (changes < batchSize) break
      }
    } catch (error) {
      createLogger(service).error('retention rule failed', { rule: rule.name, error })
    }
    report[rule.name] = (report[rule.name] ?? 0) + deleted
  }
  return report
}
