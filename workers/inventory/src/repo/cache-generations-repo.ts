export type CacheGenerationsRepo = ReturnType<typeof createCacheGenerationsRepo>

/** The generation of each cache namespace (schema: cache_generations); 0 until first bumped. */
export function createCacheGenerationsRepo(db: D1Database) {
  return {
    async current(namespace: string): Promise<number> {
      const row = await db
        .prepare('SELECT generation FROM cache_generations WHERE namespace = ?1')
        .bind(namespace)
        .first<{ generation: number }>()
      return row?.generation ?? 0
    },

    async bump(namespace: string): Promise<void> {
      await this.bumpStatement(namespace).run()
    },

    /** The bump as a statement, to run in one batch with an event's inbox row (once per event). */
    bumpStatement(namespace: string): D1PreparedStatement {
      return db
        .prepare(
          `INSERT INTO cache_generations (namespace, generation) VALUES (?1, 1)
           ON CONFLICT(namespace) DO UPDATE SET generation = generation + 1`,
        )
        .bind(namespace)
    },
  }
}
