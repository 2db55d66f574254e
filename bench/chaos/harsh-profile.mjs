// The harsh chaos profile: inventory fails 80 % of its calls for a minute, then is healthy again.
// A saga's step outlasts that (it retries up to its horizon), so every order ends confirmed or
// cancelled for a business reason, never `saga_failed`; and order reads keep answering meanwhile.
//   CHAOS_ORDERS        orders to place (default 60)
//   CHAOS_CONCURRENCY   concurrent clients (default 6)
//   CHAOS_FAULT_RATE    share of inventory calls that fail during the outage (default 0.8)
//   CHAOS_OUTAGE_S      how long the outage lasts (default 60)
//   CHAOS_SETTLE_S      how long the system may take to converge after the outage and the last order (default 240)
import { cpus } from 'node:os'
import { sleep } from '../harness.mjs'
import { checkInvariants } from './checks.mjs'
import { converge } from './driver.mjs'

const N = Number(process.env.CHAOS_ORDERS ?? 60)
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY ?? 6)
const FAULT_RATE = Number(process.env.CHAOS_FAULT_RATE ?? 0.8)
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_S ?? 60) * 1000
const SETTLE_MS = Number(process.env.CHAOS_SETTLE_S ?? 240) * 1000
const TOKENS = ['tok_visa', 'tok_visa', 'tok_visa', 'tok_chargeDeclined']
const READ_EVERY_MS = 250

/** Reads a random accepted order as its owner until `until`; every answer recorded, with when (s into the outage). */
async function readOrders(driver, run, from, until) {
  const reads = []
  while (Date.now() < until) {
    const order = run.orders[Math.floor(Math.random() * run.orders.length)]
    if (order) {
      const answer = await driver
        .api('GET', `/api/v1/orders/${order.id}`, { token: order.token })
        .catch((error) => ({ status: 0, body: { detail: String(error) } }))
      reads.push({
        at: (Date.now() - from) / 1000,
        id: order.id,
        status: answer.status,
        order: answer.body?.status,
        detail: answer.body?.detail ?? answer.body?.code,
      })
    }
    await sleep(READ_EVERY_MS)
  }
  return reads
}

/** Every read made during the outage answered 200 (and there were some); refusals grouped by answer. */
function readsAnswered(reads) {
  const refused = reads.filter((read) => read.status !== 200)
  const byAnswer = new Map()
  for (const read of refused) {
    const answer = `${read.status} ${read.detail ?? ''}`.trim()
    const seen = byAnswer.get(answer) ?? { count: 0, first: read.at, last: read.at }
    byAnswer.set(answer, { count: seen.count + 1, first: seen.first, last: read.at })
  }
  const failures = [...byAnswer].map(
    ([answer, { count, first, last }]) => `${count}× "${answer}" (${first.toFixed(0)}–${last.toFixed(0)} s into the outage)`,
  )
  if (reads.length === 0) failures.push('no order was read during the outage')
  const detail = failures.length === 0 ? `${reads.length} checked` : `${refused.length} of ${reads.length} refused: ${failures.join('; ')}`
  return { name: 'order reads answered throughout the outage (200)', ok: failures.length === 0, detail }
}

export async function harshProfile({ system, driver, progress, started }) {
  const run = { products: [], orders: [], answersByKey: new Map() }
  const { admin, customers } = await driver.seed(run)
  await driver.setFaults(admin, ['inventory'], 'error', FAULT_RATE)
  const outageStart = Date.now()
  const outageEnd = outageStart + OUTAGE_MS
  progress(`inventory failing ${FAULT_RATE * 100} % for ${OUTAGE_MS / 1000} s; placing ${N} orders, ${CONCURRENCY} clients`)

  const outage = sleep(OUTAGE_MS).then(async () => {
    await driver.setFaults(admin, ['inventory'], 'none')
    progress('inventory healthy again')
  })
  const reading = readOrders(driver, run, outageStart, outageEnd)
  let next = 0
  async function client(index) {
    while (next < N) {
      const n = next++
      await driver.placeNth(run, customers, TOKENS, n, index)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => client(i)))
  progress(`${run.orders.length} orders accepted`)
  const [reads] = await Promise.all([reading, outage])
  const pendingSeen = new Set(reads.filter((read) => read.order === 'pending').map((read) => read.id)).size
  const since = Date.now()
  progress(`${reads.length} reads during the outage; checking until the invariants hold`)

  const invariants = await converge(() => checkInvariants(system.baseUrl, admin, run), { since, settleMs: SETTLE_MS, progress })
  const results = [...invariants, readsAnswered(reads)]
  const passed = results.every((r) => r.ok)
  return {
    passed,
    description: [
      `\`CHAOS_PROFILE=harsh npm run chaos\` on ${new Date(started).toISOString().slice(0, 10)}, ${cpus().length} cores: ${N} orders from ${CONCURRENCY} concurrent clients (24 customers, 5 products),`,
      `inventory failing ${FAULT_RATE * 100} % of its calls for ${OUTAGE_MS / 1000} s from the first order on, then healthy; payment tokens mixing captures and declines.`,
      `Meanwhile a reader fetched an accepted order every ${READ_EVERY_MS} ms as its owner (${reads.length} reads; ${pendingSeen} orders seen \`pending\`).`,
    ],
    outcome: `**${passed ? 'Every invariant held' : 'Some invariants failed'}**, ${((Date.now() - since) / 1000).toFixed(0)} s after the outage and the last order (bound: ${SETTLE_MS / 1000} s); ${run.orders.length} orders accepted; ${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
    results,
  }
}
