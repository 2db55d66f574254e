import { and, eq } from 'drizzle-orm'
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1'
import type { Result } from '../../../../shared-contracts/errors'
import { rpcRequests } from './schema'

/** The outcome of one keyed RPC call, as remembered. */
export interface RequestRecord {
  caller: string
  key: string
  operation: string
  fingerprint: string
  result: Result<unknown>
}

/** The row that remembers a call's outcome, for the batch that makes the change: stored exactly when the change is. */
export function requestInsert(db: DrizzleD1Database, record: RequestRecord, now: Date) {
  return db.insert(rpcRequests).values({ ...record, result: JSON.stringify(record.result), createdAt: now.toISOString() })
}

export type RequestsRepo = ReturnType<typeof createRequestsRepo>

export function createRequestsRepo(d1: D1Database) {
  const db = drizzle(d1)
  const find = async (caller: string, key: string): Promise<Omit<RequestRecord, 'caller' | 'key'> | null> => {
    const row = await db
      .select()
      .from(rpcRequests)
      .where(and(eq(rpcRequests.caller, caller), eq(rpcRequests.key, key)))
      .get()
    return row ? { operation: row.operation, fingerprint: row.fingerprint, result: JSON.parse(row.result) as Result<unknown> } : null
  }
  return {
    find,

    /** Stores an outcome that changed nothing, unless the key has one already; answers the stored one. */
    async remember(record: RequestRecord, now: Date): Promise<Omit<RequestRecord, 'caller' | 'key'>> {
      await requestInsert(db, record, now).onConflictDoNothing()
      const stored = await find(record.caller, record.key)
      if (!stored) throw new Error('an RPC outcome was stored and is gone')
      return stored
    },
  }
}
