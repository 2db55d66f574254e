import { withDatabases } from '../db/env-databases'

/**
 * The outbox rows one unit of work (an RPC call, an HTTP write) wrote, learnt from its own
 * batches: the relay after the work publishes exactly those and marks them sent, one statement,
 * with no claim of its own to read them back (docs/adr/0059).
 *
 * `recordWrites(d1)` is a D1 database that runs every statement on `d1` and remembers the rows
 * an outbox insert returned (`RETURNING … AS relay_outbox_*`, ./outbox-insert.ts). An insert made
 * through it is claimed by its writer in its own batch: no other relay or sweep takes the row
 * until that claim lapses, so a crash between the batch and the send leaves it to the sweep.
 * A conditional insert that inserted nothing returns no row and so is never sent.
 */

/** The columns an outbox insert returns, under names no other statement uses. */
export const RETURNED = { id: 'relay_outbox_id', envelope: 'relay_outbox_envelope', createdAt: 'relay_outbox_created_at' } as const

/** How long a writer's claim holds its rows: the relay after the work has that long to send them. */
export const WRITER_LEASE_MS = 30_000

/** An outbox row as a write returned it. */
export interface WrittenRow {
  id: string
  envelope: string
  created_at: string
}

const written = new WeakMap<object, WrittenRow[]>()

function collect(into: WrittenRow[], result: unknown): void {
  for (const row of (result as D1Result<Record<string, unknown>> | undefined)?.results ?? []) {
    const id = row[RETURNED.id]
    if (typeof id !== 'string') continue
    into.push({ id, envelope: String(row[RETURNED.envelope]), created_at: String(row[RETURNED.createdAt]) })
  }
}

/** A D1 database over `d1` that records the outbox rows its batches write. */
export function recordWrites(d1: D1Database): D1Database {
  const rows: WrittenRow[] = []
  const recording = new Proxy(d1, {
    get(target, prop) {
      if (prop === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          const results = await target.batch(statements)
          for (const result of results) collect(rows, result)
          return results
        }
      }
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  written.set(recording, rows)
  return recording
}

/** Whether `db` (a D1 database, or a drizzle one over it) records its writes: its inserts are claimed by the writer. */
function recordsWrites(db: unknown): boolean {
  const client = (db as { $client?: unknown } | null)?.$client ?? db
  return typeof client === 'object' && client !== null && written.has(client)
}

/** Whether outbox rows written through `db` wait for their relay. */
export function wroteEvents(db: D1Database): boolean {
  return (written.get(db)?.length ?? 0) > 0
}

/** The rows written through `db` since the last call, or null when `db` does not record. */
export function takeWritten(db: D1Database): WrittenRow[] | null {
  const rows = written.get(db)
  return rows ? rows.splice(0) : null
}

const handed = new WeakSet<object>()

/**
 * The rows written through `db` so far, handed to another unit of work that relays them (a saga
 * the write starts, which sends them with its own events): the relay after this work sends none
 * of them and claims no others. Null when `db` does not record. Until they are sent, the writer's
 * claim keeps them from the sweep; if the other unit never sends them, the sweep does once the
 * claim lapses.
 */
export function handOver(db: D1Database): WrittenRow[] | null {
  const rows = takeWritten(db)
  if (rows) handed.add(db)
  return rows
}

/** Whether the work through `db` handed its rows to another (`handOver`). */
export function handedOver(db: D1Database): boolean {
  return handed.has(db)
}

/** Rows handed over (`handOver`), to be relayed with those `db` records; nothing if it does not record. */
export function adoptWritten(db: D1Database, rows: readonly WrittenRow[]): void {
  written.get(db)?.push(...rows)
}

/** Takes back rows `db` handed over, when the other unit never got them: the relay after this work sends them. */
export function takeBack(db: D1Database, rows: readonly WrittenRow[]): void {
  adoptWritten(db, rows)
  handed.delete(db)
}

/** `env` with each of its D1 databases recording its writes (one recorder per database, for this unit of work). */
export function recordingEnv<E extends object>(env: E): E {
  return withDatabases(env, recordWrites)
}

/** The claim an insert through `db` carries: until when, and as how many attempts. */
export function writerClaim(db: unknown, now = Date.now()): { claimedUntil: number | null; attempts: number } {
  return recordsWrites(db) ? { claimedUntil: now + WRITER_LEASE_MS, attempts: 1 } : { claimedUntil: null, attempts: 0 }
}
