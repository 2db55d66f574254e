// The default chaos profile: N orders from concurrent clients with inventory and payments failing
// a share of their calls, the whole system killed (SIGKILL, its process group) half way and
// started again on the same state.
//   CHAOS_ORDERS        orders to place (default 300)
//   CHAOS_CONCURRENCY   concurrent clients (default 12)
//   CHAOS_FAULT_RATE    share of inventory and payments calls that fail (default 0.2)
//   CHAOS_SETTLE_S      how long the system may take to converge after the last order (default 120)
import { cpus } from 'node:os'
import { checkInvariants } from './checks.mjs'
import { converge } from './driver.mjs'

const N = Number(process.env.CHAOS_ORDERS ?? 300)
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY ?? 12)
const FAULT_RATE = Number(process.env.CHAOS_FAULT_RATE ?? 0.2)
const SETTLE_MS = Number(process.env.CHAOS_SETTLE_S ?? 120) * 1000
const TOKENS = ['tok_visa', 'tok_visa', 'tok_visa', 'tok_chargeDeclined', 'tok_transientError_2']
const FAULTY = ['inventory', 'payments']

export async function defaultProfile({ system, driver, progress, started }) {
  const run = { products: [], orders: [], answersByKey: new Map() }
  let { admin, customers } = await driver.seed(run)
  await driver.setFaults(admin, FAULTY, 'error', FAULT_RATE)
  progress(`placing ${N} orders, ${CONCURRENCY} clients, faults at ${FAULT_RATE}`)

  let next = 0
  let killedAt = null
  async function client(index) {
    while (next < N) {
      const n = next++
      if (n === Math.floor(N / 2) && killedAt === null) {
        killedAt = Date.now()
        progress(`SIGKILL after ${n} orders`)
        await system.kill()
        await system.start()
        progress('restarted')
        admin = await driver.signIn()
        await driver.setFaults(admin, FAULTY, 'error', FAULT_RATE)
      }
      await driver.placeNth(run, customers, TOKENS, n, index)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => client(i)))
  const placedAt = Date.now()
  await driver.setFaults(admin, FAULTY, 'none')
  progress(`${run.orders.length} orders accepted; faults off; checking until the invariants hold`)

  const results = await converge(() => checkInvariants(system.baseUrl, admin, run), { since: placedAt, settleMs: SETTLE_MS, progress })
  const convergedS = ((Date.now() - placedAt) / 1000).toFixed(0)
  const recovery = system.recovery()
  const passed = results.every((r) => r.ok)
  return {
    passed,
    description: [
      `\`npm run chaos\` on ${new Date(started).toISOString().slice(0, 10)}, ${cpus().length} cores: ${N} orders from ${CONCURRENCY} concurrent clients (24 customers, 5 products),`,
      `inventory and payments failing ${FAULT_RATE * 100} % of calls, payment tokens mixing captures, declines and transient provider errors;`,
      `the whole local system killed with SIGKILL (its process group) after ${Math.floor(N / 2)} orders and started again on the same state.`,
      `Every order was sent twice with its Idempotency-Key. After the restart \`npm start\` said: ${recovery ? `"${recovery}"` : 'nothing of a recovery'}.`,
    ],
    outcome: `**${passed ? 'Every invariant held' : 'Some invariants failed'}**, ${convergedS} s after the last order (bound: ${SETTLE_MS / 1000} s); ${run.orders.length} orders accepted; ${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
    results,
  }
}
