/** Whether a binding is a D1 database (what `prepare`, `batch` and `exec` say; service stubs have none). */
export const isD1 = (value: unknown): value is D1Database =>
  typeof value === 'object' && value !== null && 'prepare' in value && 'batch' in value && 'exec' in value

/** `env` with each of its D1 databases seen through `wrap`, made once per binding on first use. */
export function withDatabases<E extends object>(env: E, wrap: (db: D1Database) => D1Database): E {
  const databases = new Map<PropertyKey, D1Database>()
  return new Proxy(env, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown
      if (!isD1(value)) return value
      let db = databases.get(prop)
      if (!db) {
        db = wrap(value)
        databases.set(prop, db)
      }
      return db
    },
  })
}
