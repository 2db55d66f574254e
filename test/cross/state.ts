// What every service has stored, for tests that assert a refused request changed nothing. The
// runner sees each internal Worker's D1 as `<NAME>_DB` (vitest.config.ts); the gateway never does.
import { env } from 'cloudflare:workers'
import { SERVICES } from '../../shared-contracts/routes'

const databases = () =>
  SERVICES.map((service) => [service, (env as unknown as Record<string, D1Database>)[`${service.toUpperCase()}_DB`]!] as const)

/** Every row of every table of every service, as `service.table` → sorted JSON rows. */
export async function storedState(): Promise<Record<string, string[]>> {
  const state: Record<string, string[]> = {}
  for (const [service, db] of databases()) {
    const { results } = await db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations' ORDER BY name",
      )
      .all<{ name: string }>()
    const tables = await db.batch(results.map(({ name }) => db.prepare(`SELECT * FROM "${name}"`)))
    for (const [index, { name }] of results.entries()) {
      state[`${service}.${name}`] = (tables[index]!.results as unknown[]).map((row) => JSON.stringify(row)).sort()
    }
  }
  return state
}

/** A short digest of storedState(), cheap to compare. */
export async function stateDigest(): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(await storedState()))
  return Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/**
 * The digest once background work has settled: events from earlier requests travel through
 * outboxes and queues for a while. Waits until two reads `quietMs` apart agree.
 */
export async function settledDigest(quietMs = 150, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  let previous = await stateDigest()
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs))
    const current = await stateDigest()
    if (current === previous) return current
    if (Date.now() > deadline) throw new Error('stored state never settled')
    previous = current
  }
}
