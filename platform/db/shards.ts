/**
 * A service's database split by a key (docs/adr/0067): its D1 bindings `DB` (shard 0), `DB_1` …
 * `DB_<n-1>`, all on the same migrations. A key's shard is FNV-1a (32 bits) of the key, modulo n,
 * so `n` is fixed once data exists: another n moves keys between shards (docs/operations.md).
 */

/** Whether a binding name is one of a service's shards. */
export const isShardBinding = (name: PropertyKey): boolean => typeof name === 'string' && /^DB(?:_[1-9]\d*)?$/.test(name)

/** The binding name of shard `index`. */
export const shardBinding = (index: number): string => (index === 0 ? 'DB' : `DB_${index}`)

/** The shards `env` binds, in order: `DB`, then `DB_1`, `DB_2` … up to the first missing one. */
export function shardsOf(env: object): D1Database[] {
  const shards: D1Database[] = []
  for (let index = 0; ; index++) {
    const db = (env as Record<string, D1Database | undefined>)[shardBinding(index)]
    if (!db) return shards
    shards.push(db)
  }
}

/** FNV-1a of the key's UTF-16 code units, as an unsigned 32-bit number. */
function fnv1a(key: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** The shard index of `key` among `count` shards. */
export function shardIndex(key: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new Error(`a sharded database needs at least one shard, not ${count}`)
  return fnv1a(key) % count
}

/** The shard of `key` in `env`. */
export function shardFor(env: object, key: string): D1Database {
  const shards = shardsOf(env)
  return shards[shardIndex(key, shards.length)]!
}
