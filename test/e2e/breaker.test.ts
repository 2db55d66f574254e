import { describe, expect, it } from 'vitest'
import { api } from './client'

// Through `npm start`: local development sets CIRCUIT_BREAKER_OPEN_MS to 5 s (scripts/dev-keys.mjs),
// so a breaker can be watched opening and closing again well within a minute.
const DEV_ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }

interface BreakerRow {
  service: string
  state: 'closed' | 'open' | 'half_open'
  failure_rate: number
  retry_after_s: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function breakerOf(token: string, service: string): Promise<BreakerRow> {
  const listed = await api<{ items: BreakerRow[] }>('GET', '/api/v1/admin/circuit-breakers', { token })
  expect(listed.status).toBe(200)
  return listed.body.items.find((row) => row.service === service)!
}

const setFault = (token: string, body: object) => api('PUT', '/api/v1/admin/faults/inventory', { token, body })

describe('the inventory circuit breaker, end to end', () => {
  it('opens under injected errors, answers fast 503s while open, and closes once inventory recovers', { timeout: 60_000 }, async () => {
    const login = await api<{ access_token: string }>('POST', '/api/v1/auth/login', { body: DEV_ADMIN })
    const token = login.body.access_token
    // Signed in, so the calls count against the per-user rate limit rather than the shared per-IP one.
    const products = () => api('GET', '/api/v1/products', { token })
    expect((await setFault(token, { mode: 'error', rate: 1 })).status).toBe(200)
    let open: Awaited<ReturnType<typeof products>> | null = null
    try {
      for (let i = 0; i < 40 && open === null; i += 1) {
        const response = await products()
        if (response.status === 503) open = response
        else expect(response.status).toBe(500)
      }
      expect(open, 'the breaker never opened').not.toBeNull()
      expect(open!.body).toMatchObject({ code: 'service_unavailable', status: 503 })
      expect(Number(open!.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
      expect(await breakerOf(token, 'inventory')).toMatchObject({ state: 'open' })

      // A call that reached inventory now would be held for 3 s: the open breaker answers at once.
      expect((await setFault(token, { mode: 'latency', rate: 1, latency_ms: 3_000 })).status).toBe(200)
      const started = Date.now()
      expect((await products()).status).toBe(503)
      expect(Date.now() - started).toBeLessThan(1_000)
    } finally {
      await setFault(token, { mode: 'none', rate: 0 })
    }

    // Once the open period has passed, probes get through, succeed, and the breaker closes.
    const deadline = Date.now() + 30_000
    let status = 0
    while (Date.now() < deadline) {
      status = (await products()).status
      if (status === 200 && (await breakerOf(token, 'inventory')).state === 'closed') break
      await sleep(250)
    }
    expect(status).toBe(200)
    expect(await breakerOf(token, 'inventory')).toMatchObject({ state: 'closed', retry_after_s: 0 })
  })
})
