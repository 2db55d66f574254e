import { defineConfig } from 'drizzle-kit'

// One drizzle-kit config per database: `npm run db:generate` runs each.
// SERVICE picks the Worker; its schema lives in workers/<service>/src/repo/schema.ts.
const service = process.env.SERVICE ?? 'users'

export default defineConfig({
  dialect: 'sqlite',
  schema: `./workers/${service}/src/repo/schema.ts`,
  out: `./migrations/${service}`,
  migrations: { prefix: 'index' },
})
