import { Hono } from 'hono'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineConfig } from '../../../../platform/env/config'
import { REQUEST_LOG_VARS, requestLogOptionsOf } from '../../../../platform/telemetry/request-log-policy'
import { ROUTES } from '../../../../shared-contracts/routes'
import type { GatewayConfig } from '../config'
import type { GatewayEnv } from '../services'
import { observe } from './observe'

const requestLogOptions = defineConfig(REQUEST_LOG_VARS, requestLogOptionsOf)

const app = new Hono<GatewayEnv>()
  // The part of the gateway's config observe reads, parsed from the request's env as useConfig does.
  .use(async (c, next) => {
    c.set('config', { requestLog: requestLogOptions(c.env ?? {}) } as GatewayConfig)
    await next()
  })
  .use(observe(ROUTES))
  .get('/api/v1/products/:id', (c) => c.json({ id: c.req.param('id'), metrics: typeof c.var.metrics.request }))
  .get('/api/v1/orders', (c) => c.json({ code: 'internal' }, 500))
  .get('/api/v1/users/me', (c) => c.json({ code: 'rate_limited' }, 429))

/** The app behind the request-id middleware's variable, with a recording METRICS dataset. */
function sampledApp() {
  return new Hono<GatewayEnv>()
    .use(async (c, next) => {
      c.set('requestId', c.req.header('X-Request-Id') ?? 'no-request-id')
      await next()
    })
    .route('/', app)
    .onError((error, c) => c.text(error.message, 500))
}

/** The log lines the gateway wrote, parsed (one JSON object each). */
let lines: Record<string, unknown>[] = []

beforeEach(() => {
  lines = []
  const record = (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>)
  vi.spyOn(console, 'log').mockImplementation(record)
  vi.spyOn(console, 'warn').mockImplementation(record)
})
afterEach(() => vi.restoreAllMocks())

describe('observe', () => {
  it('writes one request line with the route pattern, never the path or its query, once answered', async () => {
    const response = await app.request('/api/v1/products/prd_secret?token=abc', {}, {} as GatewayEnv['Bindings'])
    expect(await response.json()).toEqual({ id: 'prd_secret', metrics: 'function' })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'gateway',
      message: 'request',
      method: 'GET',
      route: '/api/v1/products/:id',
      status: 200,
    })
    expect(lines[0]!.duration_ms).toEqual(expect.any(Number))
    expect(JSON.stringify(lines)).not.toMatch(/prd_secret|token=abc/)
  })

  it('writes a 5xx answer as a warning', async () => {
    await app.request('/api/v1/orders', {}, {} as GatewayEnv['Bindings'])
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', route: '/api/v1/orders', status: 500 })])
  })

  it('records a path outside the route table as unmatched', async () => {
    const response = await app.request('/wp-admin/setup.php', {}, {} as GatewayEnv['Bindings'])
    expect(response.status).toBe(404)
    expect(lines).toEqual([expect.objectContaining({ route: 'unmatched', status: 404 })])
  })

  describe('with a sample rate below 1', () => {
    const points: AnalyticsEngineDataPoint[] = []
    const bindings = (vars: Record<string, string>) =>
      ({
        ...vars,
        METRICS: { writeDataPoint: (point?: AnalyticsEngineDataPoint) => void points.push(point!) },
      }) as unknown as GatewayEnv['Bindings']
    beforeEach(() => {
      points.length = 0
    })

    it('writes no line for a sampled-out success, but records its data point', async () => {
      const response = await sampledApp().request('/api/v1/products/prd_1', {}, bindings({ LOG_SAMPLE_RATE: '0' }))
      expect(response.status).toBe(200)
      expect(lines).toEqual([])
      expect(points).toHaveLength(1)
      expect(points[0]).toMatchObject({ blobs: expect.arrayContaining(['request', '/api/v1/products/:id', '200']) })
    })

    it('always writes the line of a 5xx or a 404, and samples a 429 like a success', async () => {
      const env = bindings({ LOG_SAMPLE_RATE: '0' })
      await sampledApp().request('/api/v1/orders', {}, env)
      await sampledApp().request('/wp-admin/setup.php', {}, env)
      await sampledApp().request('/api/v1/users/me', {}, env)
      expect(lines).toEqual([expect.objectContaining({ status: 500 }), expect.objectContaining({ route: 'unmatched', status: 404 })])
      expect(points).toHaveLength(3)
    })

    it('decides by request id: the same id is logged every time or never', async () => {
      const env = bindings({ LOG_SAMPLE_RATE: '0.5' })
      const ids = Array.from({ length: 40 }, (_, index) => `request-id-${index}`)
      const logged = async () => {
        lines.length = 0
        for (const id of ids) await sampledApp().request('/api/v1/products/prd_1', { headers: { 'X-Request-Id': id } }, env)
        return lines.length
      }
      const first = await logged()
      expect(first).toBeGreaterThan(0)
      expect(first).toBeLessThan(ids.length)
      expect(await logged()).toBe(first)
      expect(points).toHaveLength(2 * ids.length)
    })

    it('refuses an invalid LOG_SAMPLE_RATE, naming it', async () => {
      const response = await sampledApp().request('/api/v1/products/prd_1', {}, bindings({ LOG_SAMPLE_RATE: 'often' }))
      expect(response.status).toBe(500)
      expect(await response.text()).toMatch(/LOG_SAMPLE_RATE/)
    })
  })
})
