// `npm run chaos`: N orders from concurrent clients against the local system with inventory and
// payments failing a share of their calls, the whole system killed (SIGKILL, its process group)
// half way and started again on the same state; then the invariants, printed and written to
// bench/CHAOS.md. Never part of `npm test`.
//   CHAOS_ORDERS        orders to place (default 300)
//   CHAOS_CONCURRENCY   concurrent clients (default 12)
//   CHAOS_FAULT_RATE    share of inventory and payments calls that fail (default 0.2)
//   CHAOS_SETTLE_S      how long the system may take to converge after the last order (default 120)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { call, freePort, sleep } from './harness.mjs'
import { checkInvariants } from './chaos/checks.mjs'
import { localSystem } from './chaos/system.mjs'

const N = Number(process.env.CHAOS_ORDERS ?? 300)
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY ?? 12)
const FAULT_RATE = Number(process.env.CHAOS_FAULT_RATE ?? 0.2)
const SETTLE_MS = Number(process.env.CHAOS_SETTLE_S ?? 120) * 1000
const TOKENS = ['tok_visa', 'tok_visa', 'tok_visa', 'tok_chargeDeclined', 'tok_transientError_2']
const ip = () => `2001:db8::${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`

const persistDir = mkdtempSync(join(tmpdir(), 'edge-commerce-chaos-'))
const system = localSystem({ port: await freePort(), inspectorPort: await freePort(), persistDir })
const started = Date.now()
const progress = (message) => console.error(`chaos [${((Date.now() - started) / 1000).toFixed(0)} s] ${message}`)
const api = (method, path, options = {}) => call(system.baseUrl, method, path, { ...options, headers: { 'CF-Connecting-IP': ip(), ...options.headers } })

async function signIn(email, password, name) {
  if (name) await api('POST', '/api/v1/auth/register', { body: { email, password, name } })
  const login = await api('POST', '/api/v1/auth/login', { body: { email, password } })
  if (login.status !== 200) throw new Error(`login ${email}: ${login.status}`)
  return login.body.access_token
}

async function setFaults(admin, mode) {
  for (const service of ['inventory', 'payments']) await api('PUT', `/api/v1/admin/faults/${service}`, { token: admin, body: mode === 'none' ? { mode, rate: 0 } : { mode, rate: FAULT_RATE } })
}

/** Places one order as a careful client: the same key until a final answer, across the crash too. */
async function place(run, token, items, paymentToken) {
  const key = crypto.randomUUID()
  const answers = []
  for (let attempt = 0; answers.length < 2; attempt++) {
    const answer = await api('POST', '/api/v1/orders', { token, body: { items, payment_token: paymentToken }, headers: { 'Idempotency-Key': key } }).catch(() => ({ status: 0 }))
    if (answer.status === 202) answers.push(answer.body.id)
    else if (answer.status >= 400 && answer.status < 500 && answer.status !== 409 && answer.status !== 429) return
    else await sleep(Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)))
  }
  run.answersByKey.set(key, answers)
  run.orders.push({ id: answers[0], key, token, items })
}

progress(`starting the system (state in ${persistDir})`)
await system.start()
const run = { products: [], orders: [], answersByKey: new Map() }
let admin = await signIn('admin@example.com', 'admin-password-change-me')
for (let i = 0; i < 5; i++) {
  const stock = 40 + i * 20
  const created = await api('POST', '/api/v1/products', { token: admin, body: { sku: `CHAOS-${crypto.randomUUID().slice(0, 8)}`, name: `Chaos ${i}`, price_cents: 500 + i * 100, currency: 'EUR', initial_stock: stock } })
  run.products.push({ id: created.body.id, stock })
}
const customers = []
for (let i = 0; i < 24; i++) customers.push(await signIn(`chaos-${crypto.randomUUID()}@example.com`, 'a long enough password', `Chaos ${i}`))
await setFaults(admin, 'error')
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
      admin = await signIn('admin@example.com', 'admin-password-change-me')
      await setFaults(admin, 'error')
    }
    const product = run.products[n % run.products.length]
    await place(run, customers[(index + n) % customers.length], [{ product_id: product.id, quantity: 1 + (n % 3) }], TOKENS[n % TOKENS.length])
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => client(i)))
const placedAt = Date.now()
await setFaults(admin, 'none')
progress(`${run.orders.length} orders accepted; faults off; checking until the invariants hold`)

// Converging: nothing but the system's own machinery (alarms, consumers, the replay on start-up).
let results = []
for (;;) {
  results = await checkInvariants(system.baseUrl, admin, run)
  if (results.every((r) => r.ok) || Date.now() - placedAt > SETTLE_MS) break
  progress(`not yet: ${results.filter((r) => !r.ok).map((r) => r.name).join(', ')}`)
  await sleep(5_000)
}
const convergedS = ((Date.now() - placedAt) / 1000).toFixed(0)
const recovery = system.recovery()
await system.stop()
rmSync(persistDir, { recursive: true, force: true })

const passed = results.every((r) => r.ok)
const lines = [
  '# Chaos run',
  '',
  `\`npm run chaos\` on ${new Date(started).toISOString().slice(0, 10)}, ${cpus().length} cores: ${N} orders from ${CONCURRENCY} concurrent clients (24 customers, 5 products),`,
  `inventory and payments failing ${FAULT_RATE * 100} % of calls, payment tokens mixing captures, declines and transient provider errors;`,
  `the whole local system killed with SIGKILL (its process group) after ${Math.floor(N / 2)} orders and started again on the same state.`,
  `Every order was sent twice with its Idempotency-Key. After the restart \`npm start\` said: ${recovery ? `"${recovery}"` : 'nothing of a recovery'}.`,
  '',
  `**${passed ? 'Every invariant held' : 'Some invariants failed'}**, ${convergedS} s after the last order (bound: ${SETTLE_MS / 1000} s); ${run.orders.length} orders accepted; ${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
  '',
  '| Invariant | Held | Detail |',
  '| --- | --- | --- |',
  ...results.map((r) => `| ${r.name} | ${r.ok ? 'yes' : '**no**'} | ${r.detail.replaceAll('|', '\\|')} |`),
  '',
]
writeFileSync('bench/CHAOS.md', lines.join('\n'))
console.log(lines.join('\n'))
process.exit(passed ? 0 : 1)
