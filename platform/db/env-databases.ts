import { isShardBinding } from './shards'

/*
 * The bindings that hold a Worker's D1 databases: `DB`, and `DB_1` … where the database is
 * sharded (./shards.ts). Named rather than recognised by shape, because a service binding's RPC
 * stub answers to any property (`prepare`, `batch`, `exec` included), and wrapping one breaks its calls.
 */

const isD1 = (value: unknown): value is D1Database =>
  typeof value === 'object' && value !== null && 'prepare' in value && 'batch' in value && 'exec' in value

/** `env` with each of its D1 databases seen through `wrap`, made once per binding on first use. */
export function withDatabases<E extends object>(env: E, wrap: (db: D1Database) => D1Database): E {
  const databases = new Map<PropertyKey, D1Database>()
  return new Proxy(env, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown
      if (!isShardBinding(prop) || !isD1(value)) return value
      let db = databases.get(prop)
      if (!db) {
        db = wrap(value)
        databases.set(prop, db)
      }
      return db
    },
  })
}
