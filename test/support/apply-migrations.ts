import { applyD1Migrations, env, type D1Migration } from 'cloudflare:test'

// Runs before each test file: the database is migrated the way `wrangler d1 migrations apply` does.
const bindings = env as unknown as { DB?: D1Database; USERS_DB?: D1Database; TEST_MIGRATIONS: D1Migration[] }
const db = bindings.DB ?? bindings.USERS_DB
if (!db) throw new Error('no D1 binding to migrate')
await applyD1Migrations(db, bindings.TEST_MIGRATIONS)
