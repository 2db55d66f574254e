import { defineConfig } from 'drizzle-kit'
import { WORKERS } from './scripts/workers.mjs'

// One drizzle-kit config for every database: SERVICE picks the Worker, whose schema lives in
// workers/<service>/src/repo/schema.ts. `npm run db:generate` sets it for each service in turn.
const service = process.env.SERVICE
const services = WORKERS.flatMap(({ database }) => (database ? [database] : []))
if (!service || !services.includes(service)) {
  throw new Error(`Set SERVICE to one of ${services.join(', ')}, or run \`npm run db:generate\`.`)
}

export default defineConfig({
  dialect: 'sqlite',
  schema: `./workers/${service}/src/repo/schema.ts`,
  out: `./migrations/${service}`,
  migrations: { prefix: 'index' },
})
