import { describe, expect, it } from 'vitest'
import { bearer, call, expectProblem, PASSWORD, send, signUp, uniqueEmail, uniqueIp } from './client'

// The production policies from wrangler.toml: these tests pin them.
const AUTH_POLICY = '"auth";q=10;w=60'
const USER_POLICY = '"user";q=600;w=60'
const ANONYMOUS_POLICY = '"anonymous";q=120;w=60'

const wrongLogin = (ip: string, headers: Record<string, string> = {}) =>
  send(
    'POST',
    '/api/v1/auth/login',
    { email: uniqueEmail('nobody'), password: 'not the password at all' },
    { 'CF-Connecting-IP': ip, ...headers },
  )

/**
 * Units a policy can have refilled since `started`: the limiter runs on the real clock, and a
 * loaded machine may take seconds over a loop. Bounds written with it stay exact on a fast run
 * and never pass a limiter that does not count.
 */
const refilledSince = (started: number, refillMs: number) => Math.floor((Date.now() - started) / refillMs) + 1

/** `"name";r=3;t=42` → { name, r, t } */
function parseRateLimit(header: string | null) {
  const match = /^"(\w+)";r=(\d+);t=(\d+)$/.exec(header ?? '')
  expect(match, `RateLimit: ${header}`).not.toBeNull()
  return { name: match![1], r: Number(match![2]), t: Number(match![3]) }
}

/** Spends an IP's whole auth quota on wrong logins; answers the remaining counts seen. */
async function exhaust(ip: string): Promise<number[]> {
  const remaining: number[] = []
  for (let i = 0; i < 10; i++) {
    const response = await wrongLogin(ip)
    await expectProblem(response, 401, 'invalid_credentials')
    expect(response.headers.get('RateLimit-Policy')).toBe(AUTH_POLICY)
    remaining.push(parseRateLimit(response.headers.get('RateLimit')).r)
  }
  return remaining
}

describe('rate limits through the gateway', () => {
  it('answers repeated wrong logins from one client IP with 429 quota_exceeded, RateLimit headers and Retry-After', async () => {
    const ip = uniqueIp()
    const started = Date.now()
    expect(await exhaust(ip)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
    const limited = await wrongLogin(ip)
    const body = await expectProblem(limited, 429, 'quota_exceeded')
    expect(body).toMatchObject({ type: '/problems/quota-exceeded', title: 'Too many requests' })
    expect(limited.headers.get('RateLimit-Policy')).toBe(AUTH_POLICY)
    const retryAfter = Number(limited.headers.get('Retry-After'))
    // 10 per 60 s refills one unit every 6 s after the first was spent: the client is told to come
    // back then, never sooner (6 s on a fast run, less by the seconds the ten logins took).
    expect(retryAfter).toBeLessThanOrEqual(6)
    expect(retryAfter).toBeGreaterThanOrEqual(Math.max(1, 6 - Math.ceil((Date.now() - started) / 1000)))
    expect(parseRateLimit(limited.headers.get('RateLimit'))).toEqual({ name: 'auth', r: 0, t: retryAfter })
  })

  it('admits exactly the quota out of parallel logins from one IP', async () => {
    const ip = uniqueIp()
    const started = Date.now()
    const responses = await Promise.all(Array.from({ length: 30 }, () => wrongLogin(ip)))
    const statuses = responses.map((response) => response.status)
    const admitted = statuses.filter((status) => status === 401).length
    // Exactly 10 on a fast run; a unit refills every 6 s while a slow machine is still sending.
    expect(admitted).toBeGreaterThanOrEqual(10)
    expect(admitted).toBeLessThanOrEqual(10 + refilledSince(started, 6_000) - 1)
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - admitted)
  })

  it('counts login and register together per IP, and limits a register too', async () => {
    const ip = uniqueIp()
    await exhaust(ip)
    const register = await send(
      'POST',
      '/api/v1/auth/register',
      { email: uniqueEmail(), password: PASSWORD, name: 'Late' },
      { 'CF-Connecting-IP': ip },
    )
    await expectProblem(register, 429, 'quota_exceeded')
    expect(register.headers.get('Retry-After')).toMatch(/^[1-9]\d*$/)
  })

  it('does not limit a different client IP', async () => {
    const ip = uniqueIp()
    await exhaust(ip)
    await expectProblem(await wrongLogin(ip), 429, 'quota_exceeded')
    const other = await wrongLogin(uniqueIp())
    await expectProblem(other, 401, 'invalid_credentials')
    expect(parseRateLimit(other.headers.get('RateLimit')).r).toBe(9)
  })

  it('never reads X-Forwarded-For: a spoofed one neither escapes the limit nor spends another address', async () => {
    const ip = uniqueIp()
    const victim = uniqueIp()
    for (let i = 0; i < 10; i++) await expectProblem(await wrongLogin(ip, { 'X-Forwarded-For': uniqueIp() }), 401, 'invalid_credentials')
    await expectProblem(await wrongLogin(ip, { 'X-Forwarded-For': uniqueIp() }), 429, 'quota_exceeded')
    await expectProblem(await wrongLogin(ip, { 'X-Forwarded-For': victim }), 429, 'quota_exceeded')
    const fresh = await wrongLogin(victim)
    expect(parseRateLimit(fresh.headers.get('RateLimit')).r).toBe(9)
  })

  it('counts signed-in requests per user, wherever they come from', async () => {
    const [ada, grace] = [await signUp('Ada'), await signUp('Grace')]
    const me = (token: string, ip = uniqueIp()) => call('/api/v1/users/me', { headers: { ...bearer(token), 'CF-Connecting-IP': ip } })
    const first = await me(ada.token)
    expect(first.status).toBe(200)
    expect(first.headers.get('RateLimit-Policy')).toBe(USER_POLICY)
    expect(parseRateLimit(first.headers.get('RateLimit'))).toMatchObject({ name: 'user', r: 599 })
    // Fifty more from fifty addresses and one after them, the same user: one count. 600 per 60 s refills a unit every
    // 100 ms, so a slow run sees a few back; a count per address would leave 599.
    const started = Date.now()
    const burst = await Promise.all(Array.from({ length: 50 }, () => me(ada.token)))
    expect(burst.every((response) => response.status === 200)).toBe(true)
    const after = parseRateLimit((await me(ada.token)).headers.get('RateLimit')).r
    expect(after).toBeGreaterThanOrEqual(548)
    expect(after).toBeLessThanOrEqual(548 + refilledSince(started, 100))
    // The same address, another user: a count of its own.
    const shared = uniqueIp()
    await me(ada.token, shared)
    expect(parseRateLimit((await me(grace.token, shared)).headers.get('RateLimit')).r).toBe(599)
  })

  it('limits a signed-in user after a burst of 600, refilling 10 a second, and not another user', async () => {
    const [ada, grace] = [await signUp('Ada'), await signUp('Grace')]
    const me = (token: string) => call('/api/v1/users/me', { headers: bearer(token) })
    const responses: Response[] = []
    const started = Date.now()
    // Batches of 100 until the limit answers: 7 on a fast run; a slow machine refills more while it sends.
    for (let batch = 0; batch < 30 && !responses.some((response) => response.status === 429); batch++) {
      responses.push(...(await Promise.all(Array.from({ length: 100 }, () => me(ada.token)))))
    }
    const admitted = responses.filter((response) => response.status === 200).length
    // 600 at once, then one more every 100 ms while the test runs (GCRA refills smoothly).
    expect(admitted).toBeGreaterThanOrEqual(600)
    expect(admitted).toBeLessThanOrEqual(600 + refilledSince(started, 100))
    const limited = responses.find((response) => response.status === 429)
    expect(limited, 'a 429 once the burst is spent').toBeDefined()
    await expectProblem(limited!, 429, 'quota_exceeded')
    expect(limited!.headers.get('RateLimit-Policy')).toBe(USER_POLICY)
    expect(Number(limited!.headers.get('Retry-After'))).toBe(1)
    await Promise.all(responses.filter((response) => !response.bodyUsed).map((response) => response.body?.cancel()))
    expect((await me(grace.token)).status).toBe(200)
  }, 60_000)

  it('counts other anonymous requests per IP under the anonymous policy', async () => {
    const ip = uniqueIp()
    const products = () => call('/api/v1/products', { headers: { 'CF-Connecting-IP': ip } })
    const first = await products()
    expect(first.status).toBe(200)
    expect(first.headers.get('RateLimit-Policy')).toBe(ANONYMOUS_POLICY)
    expect(parseRateLimit(first.headers.get('RateLimit'))).toMatchObject({ name: 'anonymous', r: 119 })
    // One unit refills every 500 ms: a slow machine may see it back already.
    expect(parseRateLimit((await products()).headers.get('RateLimit')).r).toBeOneOf([118, 119])
  })
})

describe('refusals spend the anonymous quota', () => {
  /** Sends `count` requests one after another from `ip`; answers their statuses. */
  async function statusesOf(count: number, ip: string, init: (index: number) => [string, RequestInit?]): Promise<number[]> {
    const statuses: number[] = []
    for (let i = 0; i < count; i++) {
      const [path, request = {}] = init(i)
      const headers = new Headers(request.headers)
      headers.set('CF-Connecting-IP', ip)
      statuses.push((await call(path, { ...request, headers })).status)
    }
    return statuses
  }

  /**
   * The first 120 refused as they were, then 429s: a unit refills every 500 ms, so the loop that
   * began at `started` may have been admitted a few more.
   */
  function expectLimitedAfterQuota(statuses: number[], refusal: number, started: number) {
    const firstLimited = statuses.indexOf(429)
    expect(firstLimited).toBeGreaterThanOrEqual(120)
    expect(firstLimited).toBeLessThanOrEqual(120 + refilledSince(started, 500))
    expect(statuses.slice(0, firstLimited).every((status) => status === refusal)).toBe(true)
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(15)
  }

  it('limits a client that sends 150 requests to unknown paths, and its refusals carry the anonymous RateLimit', async () => {
    const ip = uniqueIp()
    const started = Date.now()
    const first = await call('/api/v1/nothing', { headers: { 'CF-Connecting-IP': ip } })
    await expectProblem(first, 404, 'not_found')
    expect(first.headers.get('RateLimit-Policy')).toBe(ANONYMOUS_POLICY)
    expect(parseRateLimit(first.headers.get('RateLimit'))).toMatchObject({ name: 'anonymous', r: 119 })
    expectLimitedAfterQuota([404, ...(await statusesOf(149, ip, (i) => [`/api/v1/nothing-${i}`]))], 404, started)
    const limited = await call('/api/v1/nothing', { headers: { 'CF-Connecting-IP': ip } })
    await expectProblem(limited, 429, 'quota_exceeded')
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
  })

  it('limits a client that sends 150 forged tokens, and the spent quota is the one its anonymous reads use', async () => {
    const ip = uniqueIp()
    const forged = { headers: { Authorization: 'Bearer aaaa.bbbb.cccc' } }
    const started = Date.now()
    expectLimitedAfterQuota(await statusesOf(150, ip, () => ['/api/v1/users/me', forged]), 401, started)
    await expectProblem(await call('/api/v1/products', { headers: { 'CF-Connecting-IP': ip } }), 429, 'quota_exceeded')
    expect((await call('/api/v1/products', { headers: { 'CF-Connecting-IP': uniqueIp() } })).status).toBe(200)
  })

  it('counts wrong methods and refused policies too, and never a service’s own answer', async () => {
    const ip = uniqueIp()
    const { token } = await signUp('Prober')
    const refused = await statusesOf(130, ip, (i) =>
      i % 2 === 0 ? ['/api/v1/products', { method: 'DELETE' }] : ['/api/v1/admin/sagas', { headers: bearer(token) }],
    )
    expect(refused.slice(0, 120).every((status) => status === 405 || status === 403)).toBe(true)
    expect(refused.at(-1)).toBe(429)
    // A 404 the service answers (an unknown product) was counted by its policy, not again as a refusal.
    const other = uniqueIp()
    const unknown = await call('/api/v1/products/prd_unknown', { headers: { 'CF-Connecting-IP': other } })
    await expectProblem(unknown, 404, 'not_found')
    expect(parseRateLimit(unknown.headers.get('RateLimit'))).toMatchObject({ name: 'anonymous', r: 119 })
    // The next read spends one more (a unit refills every 500 ms: a slow machine may see it back).
    expect(
      parseRateLimit((await call('/api/v1/products', { headers: { 'CF-Connecting-IP': other } })).headers.get('RateLimit')).r,
    ).toBeOneOf([118, 119])
  })
})
