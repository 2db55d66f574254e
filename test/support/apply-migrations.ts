import { applyD1Migrations, env } from 'cloudflare:test'

// Runs before each test file: every database the project can see is migrated the way
// `wrangler d1 migrations apply` does it. TEST_MIGRATIONS maps a D1 binding to its migrations.
const bindings = env as unknown as Record<string, unknown> & { TEST_MIGRATIONS: Cloudflare.Env['TEST_MIGRATIONS'] }
for (const [binding, migrations] of Object.entries(bindings.TEST_MIGRATIONS)) {
  const db = bindings[binding] as D1Database | undefined
  if (!db) throw new Error(`no D1 binding ${binding} to migrate`)
  await applyD1Migrations(db, migrations)
}
