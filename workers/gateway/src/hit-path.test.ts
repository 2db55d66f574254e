import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { bearer, DEV_ADMIN, expectProblem, send, uniqueIp } from '../../../test/cross/client'
import { answerHit, app, fetchGateway } from './app'
import type { Env } from './env'

// The hit path (docs/adr/0058) against the app it stands in for: the same hit, answered by the
// app's middleware chain and by the path before it, must look the same to a client and an operator.
// A kept answer lives until inventory's fresh-until (about a second): comparisons are polled for.
const WITHIN = { timeout: 10_000, interval: 50 }
const gatewayEnv = env as unknown as Env

async function newProductPath(): Promise<string> {
  const login = await send('POST', '/api/v1/auth/login', DEV_ADMIN)
  const { access_token } = (await login.json()) as { access_token: string }
  const sku = `HIT-${crypto.randomUUID().slice(0, 8)}`
  const created = await send(
    'POST',
    '/api/v1/products',
    { sku, name: sku, price_cents: 1500, currency: 'EUR', initial_stock: 3 },
    bearer(access_token),
  )
  expect(created.status).toBe(201)
  return `/api/v1/products/${((await created.json()) as { id: string }).id}`
}

const read = (path: string, headers: Record<string, string>) => new Request(`https://api.example${path}`, { headers })

/** The hit path's answer, or null when it left the request to the app; its deferred work settled. */
async function viaHitPath(request: Request, envOf: Env = gatewayEnv): Promise<Response | null> {
  const ctx = createExecutionContext()
  const response = answerHit(request, envOf, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

async function viaApp(request: Request, envOf: Env = gatewayEnv): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await app.fetch(request, envOf, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

/** Status, body and every header but the rate limit's remaining count, which each request spends. */
async function seen(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'ratelimit'))
  const limit = /^"(\w+)";r=\d+;t=\d+$/.exec(response.headers.get('RateLimit') ?? '')?.[1]
  return { status: response.status, body: await response.text(), headers, limit }
}

/** The same hit through the app and through the hit path, once both answered it from the cache. */
async function bothHit(path: string, headers: Record<string, string>, envOf: Env = gatewayEnv) {
  let pair: [Awaited<ReturnType<typeof seen>>, Awaited<ReturnType<typeof seen>>] | null = null
  await expect
    .poll(async () => {
      await fetchGateway(read(path, headers), envOf, createExecutionContext()) // fills, and leases units for the IP
      const app_ = await viaApp(read(path, headers), envOf)
      const hit = await viaHitPath(read(path, headers), envOf)
      if (app_.headers.get('X-Cache-Gateway') !== 'hit' || hit === null) {
        await app_.body?.cancel()
        return false
      }
      pair = [await seen(app_), await seen(hit)]
      return true
    }, WITHIN)
    .toBe(true)
  return pair!
}

describe('the gateway cache’s hit path', () => {
  it('answers a hit with the status, body and headers the app gives it: security, cache, CORS, request id, rate limit', async () => {
    const path = await newProductPath()
    const headers = { 'CF-Connecting-IP': uniqueIp(), 'X-Request-Id': `hit-path-${crypto.randomUUID()}` }
    const [app_, hit] = await bothHit(path, headers)
    expect(hit).toEqual(app_)
    expect(hit.status).toBe(200)
    expect(hit.limit).toBe('anonymous')
    expect(hit.headers).toMatchObject({
      'x-request-id': headers['X-Request-Id'],
      'x-cache-gateway': 'hit',
      'ratelimit-policy': '"anonymous";q=120;w=60',
      // The hardening headers (security-headers.unit.test.ts has them all), through the parity above.
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'access-control-expose-headers': expect.stringContaining('RateLimit'),
      vary: expect.stringContaining('Origin'),
      'content-type': expect.stringContaining('application/json'),
      'cache-control': expect.stringMatching(/^public/),
      etag: expect.stringMatching(/^"/),
    })
    expect(hit.headers).not.toHaveProperty('x-cache-fresh-until')
    expect(hit.headers).not.toHaveProperty('access-control-allow-origin')
  })

  it('answers If-None-Match with the kept ETag with the app’s bodiless 304', async () => {
    const path = await newProductPath()
    const ip = uniqueIp()
    const [, first] = await bothHit(path, { 'CF-Connecting-IP': ip })
    const [app_, hit] = await bothHit(path, {
      'CF-Connecting-IP': ip,
      'If-None-Match': first.headers.etag!,
      'X-Request-Id': 'conditional-read',
    })
    expect(hit).toEqual(app_)
    expect(hit).toMatchObject({ status: 304, body: '', limit: 'anonymous' })
    expect(hit.headers).not.toHaveProperty('content-type')
  })

  it('echoes an allowed Origin as the app does, and no other', async () => {
    const path = await newProductPath()
    const withOrigins = { ...gatewayEnv, CORS_ALLOWED_ORIGINS: 'https://shop.example' } as Env
    const ip = uniqueIp()
    const [app_, hit] = await bothHit(
      path,
      { 'CF-Connecting-IP': ip, Origin: 'https://shop.example', 'X-Request-Id': 'allowed-origin' },
      withOrigins,
    )
    expect(hit).toEqual(app_)
    expect(hit.headers['access-control-allow-origin']).toBe('https://shop.example')
    const [appOther, hitOther] = await bothHit(
      path,
      { 'CF-Connecting-IP': ip, Origin: 'https://evil.example', 'X-Request-Id': 'other-origin' },
      withOrigins,
    )
    expect(hitOther).toEqual(appOther)
    expect(hitOther.headers).not.toHaveProperty('access-control-allow-origin')
  })

  it('counts every hit in the RED metrics: one request point with its route pattern, no downstream call', async () => {
    const path = await newProductPath()
    const ip = uniqueIp()
    await bothHit(path, { 'CF-Connecting-IP': ip })
    const points: AnalyticsEngineDataPoint[] = []
    const METRICS = { writeDataPoint: (point?: AnalyticsEngineDataPoint) => void points.push(point!) }
    const counted = { ...gatewayEnv, METRICS } as unknown as Env
    const perHit: AnalyticsEngineDataPoint[][] = []
    await expect
      .poll(async () => {
        const before = points.length
        const hit = await viaHitPath(read(path, { 'CF-Connecting-IP': ip }), counted)
        if (hit) perHit.push(points.slice(before))
        else await (await viaApp(read(path, { 'CF-Connecting-IP': ip }))).body?.cancel() // fills again, uncounted
        return perHit.length
      }, WITHIN)
      .toBe(3)
    for (const written of perHit) {
      expect(written).toHaveLength(1)
      expect(written[0]).toMatchObject({
        indexes: ['/api/v1/products/:id'],
        blobs: ['request', 'gateway', '/api/v1/products/:id', 'GET', '200', '2xx', 'inventory'],
      })
    }
  })

  it('spends the client’s anonymous quota on every hit, and is refused once it is spent', async () => {
    const path = await newProductPath()
    const headers = { 'CF-Connecting-IP': uniqueIp() }
    await bothHit(path, headers)
    const statuses: number[] = []
    let refusal: Response | null = null
    for (let sent = 0; sent < 200 && !refusal; sent++) {
      const response = await fetchGateway(read(path, headers), gatewayEnv, createExecutionContext())
      statuses.push(response.status)
      if (response.status === 429) refusal = response
      else await response.body?.cancel()
    }
    expect(refusal).not.toBeNull()
    await expectProblem(refusal!, 429, 'quota_exceeded')
    // 120 a minute, a unit back every 500 ms: the quota is spent after at most a few more than 120 reads.
    expect(statuses.length).toBeLessThan(140)
    expect(await viaHitPath(read(path, headers))).toBeNull() // a spent quota is the app's to refuse
  })
})
