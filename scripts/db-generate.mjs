// `npm run db:generate [-- <service>]`: drizzle-kit generate for every service's database in
// turn, or for the one named. Each run reads drizzle.config.ts with SERVICE set, so a schema
// change in workers/<service>/src/repo/schema.ts becomes the next migrations/<service>/ file.
import { spawnSync } from 'node:child_process'
import { WORKERS } from './workers.mjs'

const services = WORKERS.flatMap(({ database }) => (database ? [database] : []))
const asked = process.argv.slice(2)
const unknown = asked.filter((name) => !services.includes(name))
if (unknown.length > 0) {
  console.error(`No database for ${unknown.join(', ')}; services with one: ${services.join(', ')}.`)
  process.exit(2)
}

for (const service of asked.length > 0 ? asked : services) {
  console.log(`drizzle-kit generate: ${service}`)
  const run = spawnSync(process.execPath, ['node_modules/drizzle-kit/bin.cjs', 'generate'], {
    stdio: 'inherit',
    env: { ...process.env, SERVICE: service },
  })
  if (run.status !== 0) process.exit(run.status ?? 1)
}
