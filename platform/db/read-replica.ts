/**
 * Reads that D1 may answer from a read replica. A database with read replication turned on
 * keeps a read-only copy in each D1 region and routes a session's queries to the nearest copy
 * that is as new as the session needs; queries on the binding itself always go to the one
 * primary. `first-unconstrained`: this session's first query may be served by any copy, and the
 * ones after it by copies at least as new. Without replication (local development, a database
 * that has it off) every query is the primary's, and nothing changes.
 *
 * A replica trails the primary by its replication lag: use this only for reads that may be that
 * far behind, and read a write the caller just made from the primary.
 */
export function replicaReads(db: D1Database): D1Database {
  const session = db.withSession('first-unconstrained')
  // A session is not a D1Database, but it answers the two calls drizzle's D1 driver makes.
  return {
    prepare: (query: string) => session.prepare(query),
    batch: (statements: D1PreparedStatement[]) => session.batch(statements),
  } as unknown as D1Database
}
