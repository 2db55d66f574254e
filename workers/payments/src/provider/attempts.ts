/**
 * Counts attempts per key: the sandbox's memory of how often it was asked the same thing, so
 * that "fail the first n attempts" holds whichever isolate serves the retry.
 */
export interface AttemptCounter {
  /** Records one more attempt for `key` and returns the count, this one included (1 first). */
  next(key: string): Promise<number>
}

/** In memory: for unit tests. */
export function memoryAttemptCounter(): AttemptCounter {
  const counts = new Map<string, number>()
  return {
    async next(key) {
      const count = (counts.get(key) ?? 0) + 1
      counts.set(key, count)
      return count
    },
  }
}

/** In the payments D1 (table `sandbox_attempts`): one atomic upsert per attempt. */
export function d1AttemptCounter(db: D1Database): AttemptCounter {
  return {
    async next(key) {
      const row = await db
        .prepare(
          `INSERT INTO sandbox_attempts (key, attempts) VALUES (?1, 1)
           ON CONFLICT(key) DO UPDATE SET attempts = attempts + 1
           RETURNING attempts`,
        )
        .bind(key)
        .first<{ attempts: number }>()
      if (!row) throw new Error('sandbox attempt counter returned no row')
      return row.attempts
    },
  }
}
