import { Hono } from 'hono'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ROUTES } from '../../../../shared-contracts/routes'
import type { GatewayEnv } from '../services'
import { observe } from './observe'

const app = new Hono<GatewayEnv>()
  .use(observe(ROUTES))
  .get('/api/v1/products/:id', (c) => c.json({ id: c.req.param('id'), metrics: typeof c.var.metrics.request }))
  .get('/api/v1/orders', (c) => c.json({ code: 'internal' }, 500))

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
})
