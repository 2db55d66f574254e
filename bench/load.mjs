// Load for the benchmarks: autocannon on 127.0.0.1, bounded in time and connections, and the
// order-placement driver (a bounded number of orders, each followed to its end).
import autocannon from 'autocannon'
import { call, sleep } from './harness.mjs'
import { untilQuiet } from './process-cpu.mjs'
import { quantile } from './stats.mjs'

/**
 * One slice of `seconds` against one URL: throughput counts only 2xx answers, latency is
 * autocannon's (every answer). Anything else than 2xx is reported, never hidden.
 */
export async function slice({ url, headers = {} }, { seconds, connections }) {
  const result = await autocannon({ url, headers, connections, duration: seconds, pipelining: 1 })
  const duration = result.duration || seconds
  return {
    rps: result['2xx'] / duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

/**
 * The order in which round `round` runs `variants`: rotated by one a round, so each variant in
 * turn goes first, and reversed every other round, so a variant follows each of its two
 * neighbours in turn rather than always the same one.
 */
export function roundOrder(variants, round) {
  const rotated = variants.map((_, index) => variants[(index + round) % variants.length])
  return round % 2 === 1 ? rotated.reverse() : rotated
}

/**
 * Rounds of alternating slices: in each round every variant runs one slice (`roundOrder`), so
 * load from elsewhere on the machine falls on all alike. Each slice is preceded by its own
 * warm-up of `warmupSeconds` against the same target, not measured: what the slice before left
 * running (background work it started, its garbage, a refill) settles there, not on the measured
 * slice. `prepare` runs before each slice (a fresh credential, say) and answers the target
 * `{ url, headers }`.
 */
export async function alternate(variants, { rounds, seconds, connections, warmupSeconds, onSlice = () => {} }) {
  const slices = Object.fromEntries(variants.map(({ key }) => [key, []]))
  for (let round = 0; round < rounds; round++) {
    for (const variant of roundOrder(variants, round)) {
      const target = await variant.prepare()
      await slice(target, { seconds: warmupSeconds, connections })
      const row = await slice(target, { seconds, connections })
      slices[variant.key].push(row)
      onSlice(variant.key, round, row)
    }
  }
  return slices
}

const TERMINAL_SAGA = ['completed', 'compensated', 'failed']

/** Polls `path` until `done(body)`, every `intervalMs`, for at most `timeoutMs`; answers the last body. */
async function pollUntil(base, path, token, done, { intervalMs = 20, timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { status, body } = await call(base, 'GET', path, { token })
    if (status === 200 && done(body)) return body
    if (Date.now() > deadline) throw new Error(`${path} did not settle within ${timeoutMs} ms (last: ${status} ${JSON.stringify(body)})`)
    await sleep(intervalMs)
  }
}

/**
 * How often a client polls its order for `confirmed`: one client every 5 ms, so that a time of
 * ~50 ms is not rounded up to a 20 ms grid (the poll adds at most one interval plus one GET);
 * several clients every 20 ms, where polling every 5 ms would itself be a load on the
 * orders Worker being measured.
 */
export const orderPollMs = (concurrency) => (concurrency === 1 ? 5 : 20)

const orderBody = (products, items) => ({
  items: products.slice(0, items).map((product_id) => ({ product_id, quantity: 1 })),
  payment_token: 'tok_visa',
})

/**
 * Places one order through `gateway` and follows it to `confirmed` (GET it every `intervalMs`),
 * then its saga to a terminal state. Answers whether it was confirmed and its time to
 * `confirmed` twice: as its client saw it (`seen`: a poll adds up to one interval and one GET)
 * and as the confirm stamped it (`stamped`: the order's `updated_at`, taken by the saga as it
 * confirms, less the moment the POST left: one machine, one clock, no poll in it).
 */
async function placeOne(gateway, token, body, intervalMs) {
  const posted = performance.now()
  const postedAt = Date.now()
  const placed = await call(gateway, 'POST', '/api/v1/orders', { token, body, headers: { 'Idempotency-Key': crypto.randomUUID() } })
  if (placed.status !== 202) throw new Error(`POST /api/v1/orders: ${placed.status} ${JSON.stringify(placed.body)}`)
  const id = placed.body.id
  const order = await pollUntil(gateway, `/api/v1/orders/${id}`, token, (order) => order.status !== 'pending', { intervalMs })
  const seen = performance.now() - posted
  await pollUntil(gateway, `/api/v1/orders/${id}/saga`, token, (saga) => TERMINAL_SAGA.includes(saga.status))
  return { confirmed: order.status === 'confirmed', seen, stamped: Date.parse(order.updated_at) - postedAt }
}

/**
 * Places `count` orders of `items` with `concurrency` clients at once through the gateway, each
 * client placing one order after another (`placeOne`, polling every `orderPollMs(concurrency)`).
 * Answers the time of each order to `confirmed` as its client saw it, the throughput (orders
 * that reached a terminal saga state per second of the batch) and the orders that did not. The
 * batch begins once the system is quiet (`untilQuiet`): the queue deliveries and relays an
 * earlier batch left behind are not this batch's load.
 */
export async function placeOrders(gateway, token, products, { items, concurrency, count }) {
  const intervalMs = orderPollMs(concurrency)
  const body = orderBody(products, items)
  const toConfirmed = []
  let cancelled = 0
  let next = 0
  await untilQuiet()
  const started = performance.now()
  const errors = []
  async function client() {
    while (next < count) {
      next += 1
      // An order that fails is counted and reported, not retried: the bench goes on.
      await placeOne(gateway, token, body, intervalMs)
        .then((order) => (order.confirmed ? toConfirmed.push(order.seen) : (cancelled += 1)))
        .catch((error) => errors.push(error.message))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client))
  const seconds = (performance.now() - started) / 1000
  return {
    ops: (count - errors.length) / seconds,
    p50: quantile(toConfirmed, 0.5),
    p99: quantile(toConfirmed, 0.99),
    confirmed: toConfirmed.length,
    cancelled,
    errors,
    times: toConfirmed,
  }
}

/**
 * One client, `pairs` orders through each gateway of `variants` (name → URL), taken in turn
 * order by order — a, b, then b, a — so that load from elsewhere on the machine, and the
 * queue deliveries each order leaves behind, fall on both alike. Answers, per variant, the
 * p50 time to `confirmed` as the client saw it and as the confirm stamped it, and the orders
 * not confirmed.
 */
export async function placeAlternately(variants, token, products, { items, pairs }) {
  const body = orderBody(products, items)
  const names = Object.keys(variants)
  const times = Object.fromEntries(names.map((name) => [name, { seen: [], stamped: [], notConfirmed: 0, errors: [] }]))
  await untilQuiet()
  for (let pair = 0; pair < pairs; pair++) {
    for (const name of pair % 2 === 0 ? names : [...names].reverse()) {
      const into = times[name]
      await placeOne(variants[name], token, body, orderPollMs(1))
        .then((order) => {
          if (order.confirmed) {
            into.seen.push(order.seen)
            into.stamped.push(order.stamped)
          } else into.notConfirmed += 1
        })
        .catch((error) => {
          into.notConfirmed += 1
          into.errors.push(error.message)
        })
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const { seen, stamped, notConfirmed, errors } = times[name]
      return [name, { p50: quantile(seen, 0.5), p50Stamped: quantile(stamped, 0.5), notConfirmed, errors }]
    }),
  )
}
