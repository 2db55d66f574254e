// D1 answers every query with `meta.rows_read` / `meta.rows_written`, and the tracing library
// records them on the spans of `all()`, `run()` and `batch()`, but `first()` drops them. With
// tracing on, `first()` is run as `all()` (the same query, the same rows read: D1 reads them for
// either) and answers its first row, so every billed row shows on a span. `raw()` (drizzle's
// selects) has no such twin and stays a statement whose rows D1 does not report. A session
// (`withSession`, read replicas) is traced here too (d1-session.ts).

import { withDatabases } from '../db/env-databases'
import { firstOf, tracedSession } from './d1-session'

const wrapped = new WeakMap<object, object>()

function statement(stmt: D1PreparedStatement): D1PreparedStatement {
  return new Proxy(stmt, {
    get(target, prop) {
      if (prop === 'bind') return (...values: unknown[]) => statement(target.bind(...values))
      if (prop === 'first') return async (column?: string) => firstOf((await target.all<Record<string, unknown>>()).results[0], column)
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

function database(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => statement(target.prepare(sql))
      // The library hands a session back untraced: its queries would leave no span.
      if (prop === 'withSession')
        return (constraint?: D1SessionConstraint | D1SessionBookmark) => tracedSession(target.withSession(constraint), 'DB')
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** `env` whose D1 databases answer `first()` through `all()` (traced envs only). */
export function withD1Meta<E extends object>(env: E): E {
  let traced = wrapped.get(env) as E | undefined
  if (!traced) {
    traced = withDatabases(env, database)
    wrapped.set(env, traced)
  }
  return traced
}
