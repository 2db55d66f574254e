// What every chaos profile does through the public API: sign in, seed products and customers,
// set faults, place orders as a careful client, and write the report.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { call, sleep } from '../harness.mjs'

const ADMIN = ['admin@example.com', 'admin-password-change-me']
const ip = () => `2001:db8::${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`

export function chaosDriver(system) {
  const api = (method, path, options = {}) =>
    call(system.baseUrl, method, path, { ...options, headers: { 'CF-Connecting-IP': ip(), ...options.headers } })

  async function signIn(email, password, name) {
    if (name) await api('POST', '/api/v1/auth/register', { body: { email, password, name } })
    const login = await api('POST', '/api/v1/auth/login', { body: { email, password } })
    if (login.status !== 200) throw new Error(`login ${email}: ${login.status}`)
    return login.body.access_token
  }

  /** Each of `services` fails `rate` of its calls (`mode: 'none'` lifts it). */
  async function setFaults(admin, services, mode, rate) {
    for (const service of services)
      await api('PUT', `/api/v1/admin/faults/${service}`, { token: admin, body: mode === 'none' ? { mode, rate: 0 } : { mode, rate } })
  }

  /** The admin, 5 products and 24 customers, recorded in `run`. */
  async function seed(run) {
    const admin = await signIn(...ADMIN)
    for (let i = 0; i < 5; i++) {
      const stock = 40 + i * 20
      const created = await api('POST', '/api/v1/products', {
        token: admin,
        body: {
          sku: `CHAOS-${crypto.randomUUID().slice(0, 8)}`,
          name: `Chaos ${i}`,
          price_cents: 500 + i * 100,
          currency: 'EUR',
          initial_stock: stock,
        },
      })
      run.products.push({ id: created.body.id, stock })
    }
    const customers = []
    for (let i = 0; i < 24; i++)
      customers.push(await signIn(`chaos-${crypto.randomUUID()}@example.com`, 'a long enough password', `Chaos ${i}`))
    return { admin, customers }
  }

  /** Places one order as a careful client: the same key until a final answer, across a crash too. */
  async function place(run, token, items, paymentToken) {
    const key = crypto.randomUUID()
    const answers = []
    for (let attempt = 0; answers.length < 2; attempt++) {
      const answer = await api('POST', '/api/v1/orders', {
        token,
        body: { items, payment_token: paymentToken },
        headers: { 'Idempotency-Key': key },
      }).catch(() => ({ status: 0 }))
      if (answer.status === 202) answers.push(answer.body.id)
      else if (answer.status >= 400 && answer.status < 500 && answer.status !== 409 && answer.status !== 429) return
      else await sleep(Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)))
    }
    run.answersByKey.set(key, answers)
    run.orders.push({ id: answers[0], key, token, items })
  }

  /** The n-th order of a run: its product, quantity (1–3), customer and payment token in turn. */
  const placeNth = (run, customers, tokens, n, client) =>
    place(
      run,
      customers[(client + n) % customers.length],
      [{ product_id: run.products[n % run.products.length].id, quantity: 1 + (n % 3) }],
      tokens[n % tokens.length],
    )

  return { api, signIn: () => signIn(...ADMIN), seed, setFaults, place, placeNth }
}

/** Checks until every invariant holds or `settleMs` has passed since `since`: nothing but the system's own machinery runs meanwhile. */
export async function converge(check, { since, settleMs, progress }) {
  for (;;) {
    const results = await check()
    if (results.every((r) => r.ok) || Date.now() - since > settleMs) return results
    progress(
      `not yet: ${results
        .filter((r) => !r.ok)
        .map((r) => r.name)
        .join(', ')}`,
    )
    await sleep(5_000)
  }
}

const REPORT = 'bench/CHAOS.md'

/**
 * Writes the profile's section of bench/CHAOS.md (the other profiles' sections stay) and prints
 * it: the run's description, its outcome and the invariants.
 */
export function writeReport(profile, description, outcome, results) {
  const section = [
    `<!-- chaos:${profile} -->`,
    `## Profile \`${profile}\``,
    '',
    ...description,
    '',
    outcome,
    '',
    '| Invariant | Held | Detail |',
    '| --- | --- | --- |',
    ...results.map((r) => `| ${r.name} | ${r.ok ? 'yes' : '**no**'} | ${r.detail.replaceAll('|', '\\|')} |`),
    `<!-- /chaos:${profile} -->`,
  ].join('\n')
  const existing = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : ''
  const block = new RegExp(`<!-- chaos:${profile} -->[\\s\\S]*?<!-- /chaos:${profile} -->`)
  const report = !existing.includes('<!-- chaos:')
    ? `# Chaos runs\n\nThe last \`npm run chaos\` of each profile (\`CHAOS_PROFILE\`).\n\n${section}\n`
    : block.test(existing)
      ? existing.replace(block, section)
      : `${existing.trimEnd()}\n\n${section}\n`
  writeFileSync(REPORT, report)
  console.log(section)
}
