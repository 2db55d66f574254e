// `npm run chaos`: the local system under faults, driven through the public API, then the
// invariants, printed and written to the profile's section of bench/CHAOS.md. Never part of
// `npm test`. CHAOS_PROFILE picks the run:
//   default  N orders under 20 % inventory and payments errors, a SIGKILL of the whole system half
//            way (./chaos/default-profile.mjs: CHAOS_ORDERS, CHAOS_CONCURRENCY, CHAOS_FAULT_RATE, CHAOS_SETTLE_S)
//   harsh    inventory failing 80 % of its calls for a minute, then healthy; order reads all the
//            while (./chaos/harsh-profile.mjs: CHAOS_ORDERS, CHAOS_CONCURRENCY, CHAOS_OUTAGE_S, CHAOS_SETTLE_S)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './harness.mjs'
import { defaultProfile } from './chaos/default-profile.mjs'
import { chaosDriver, writeReport } from './chaos/driver.mjs'
import { harshProfile } from './chaos/harsh-profile.mjs'
import { localSystem } from './chaos/system.mjs'

const PROFILES = { default: defaultProfile, harsh: harshProfile }
const profile = process.env.CHAOS_PROFILE ?? 'default'
if (!(profile in PROFILES)) throw new Error(`CHAOS_PROFILE must be one of ${Object.keys(PROFILES).join(', ')}, got ${profile}`)

const persistDir = mkdtempSync(join(tmpdir(), 'edge-commerce-chaos-'))
const system = localSystem({ port: await freePort(), inspectorPort: await freePort(), persistDir })
const started = Date.now()
const progress = (message) => console.error(`chaos ${profile} [${((Date.now() - started) / 1000).toFixed(0)} s] ${message}`)

let report
try {
  progress(`starting the system (state in ${persistDir})`)
  await system.start()
  report = await PROFILES[profile]({ system, driver: chaosDriver(system), progress, started })
} finally {
  await system.stop()
  rmSync(persistDir, { recursive: true, force: true })
}
writeReport(profile, report.description, report.outcome, report.results)
process.exit(report.passed ? 0 : 1)
