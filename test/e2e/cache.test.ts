import { describe, expect, it } from 'vitest'
import { api, type ApiResponse } from './client'

const ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }

interface Product {
  id: string
  price_cents: number
}

async function adminToken(): Promise<string> {
  return (await api<{ access_token: string }>('POST', '/api/v1/auth/login', { body: ADMIN })).body.access_token
}

async function newProduct(token: string): Promise<Product> {
  const body = { sku: `CACHE-${crypto.randomUUID().slice(0, 8)}`, name: 'Cached mug', price_cents: 1500, currency: 'EUR', initial_stock: 3 }
  const created = await api<Product>('POST', '/api/v1/products', { token, body })
  expect(created.status).toBe(201)
  return created.body
}

// docs/caching.md: other isolates see a write within GENERATION_CHECK_MS (1 s) of the bump, and
// the event path bumps within the queue's batch wait (1 s) of the write. Polled with slack.
const STALENESS_BOUND_MS = 3_000
const WITHIN_BOUND = { timeout: STALENESS_BOUND_MS + 5_000, interval: 100 }
const LEVELS = ['L1 hit', 'L2 hit', 'miss', 'bypass']

describe('the product cache through the gateway', () => {
  it('anonymous readers see an admin’s new price within the staleness bound', async () => {
    const token = await adminToken()
    const product = await newProduct(token)
    const path = `/api/v1/products/${product.id}`
    const first = await api<Product>('GET', path)
    expect(first.body.price_cents).toBe(1500)
    expect(LEVELS).toContain(first.headers.get('X-Cache'))
    const second = await api<Product>('GET', path)
    expect(LEVELS).toContain(second.headers.get('X-Cache'))

    expect((await api('PATCH', path, { token, body: { price_cents: 1750 } })).status).toBe(200)
    await expect.poll(async () => (await api<Product>('GET', path)).body.price_cents, WITHIN_BOUND).toBe(1750)
    await expect
      .poll(
        async () =>
          (await api<{ items: Product[] }>('GET', '/api/v1/products?limit=100')).body.items.find((item) => item.id === product.id)
            ?.price_cents ?? 1750,
        WITHIN_BOUND,
      )
      .toBe(1750)
  })

  it('answers 304 to If-None-Match with the ETag, through the gateway, for a product and a list page', async () => {
    const token = await adminToken()
    const product = await newProduct(token)
    for (const path of [`/api/v1/products/${product.id}`, '/api/v1/products?limit=5']) {
      const first = await api('GET', path)
      const etag = first.headers.get('ETag')
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
      expect(first.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+/)
      // Another write may land between the two reads (other tests create products): the page's
      // ETag then changes and the answer is a 200 with the new one. Retry until a quiet moment.
      await expect
        .poll(async () => {
          const current = await api('GET', path)
          const revalidated = await api('GET', path, { headers: { 'If-None-Match': current.headers.get('ETag')! } })
          return {
            status: revalidated.status,
            body: revalidated.body,
            etag: revalidated.headers.get('ETag') === current.headers.get('ETag'),
          }
        }, WITHIN_BOUND)
        .toEqual({ status: 304, body: null, etag: true })
    }
  })

  it('keeps authenticated reads out of shared caches (no-store)', async () => {
    const token = await adminToken()
    const product = await newProduct(token)
    const read = await api('GET', `/api/v1/products/${product.id}`, { token })
    expect(read.status).toBe(200)
    expect(read.headers.get('Cache-Control')).toBe('no-store')
  })
})

// docs/caching.md: the gateway answers anonymous public reads from its isolate's memory until
// inventory's fresh-until (at most CACHE_GENERATION_CHECK_MS after its stamps were confirmed).
// A fill may come with little of that second left, so a hit is polled for, never timed.
describe('the gateway’s cache of anonymous public reads', () => {
  const FRESH_UNTIL = 'X-Cache-Fresh-Until'
  /** Reads until a read right after another is answered from the gateway's memory; answers both. */
  async function warmed(path: string) {
    let pair: [ApiResponse<Product>, ApiResponse<Product>] | null = null
    await expect
      .poll(async () => {
        pair = [await api<Product>('GET', path), await api<Product>('GET', path)]
        return pair[1].headers.get('X-Cache-Gateway')
      }, WITHIN_BOUND)
      .toBe('hit')
    return pair!
  }

  it('answers a repeated anonymous read from memory, the same answer, never the internal header; never with a bearer token', async () => {
    const token = await adminToken()
    const product = await newProduct(token)
    const path = `/api/v1/products/${product.id}`
    const [filled, hit] = await warmed(path)
    expect(filled.headers.get('X-Cache-Gateway')).toMatch(/^(miss|hit)$/)
    expect(hit.body).toEqual(filled.body)
    for (const name of ['ETag', 'Cache-Control', 'Content-Type', 'X-Cache'])
      expect(hit.headers.get(name), name).toBe(filled.headers.get(name))

    const revalidated = await api('GET', path, { headers: { 'If-None-Match': hit.headers.get('ETag')! } })
    expect(revalidated.status).toBe(304)
    expect(revalidated.headers.get('X-Cache-Gateway')).toBe('hit')

    const signedIn = await api('GET', path, { token })
    expect(signedIn.headers.get('X-Cache-Gateway')).toBe('bypass')
    expect(signedIn.headers.get('Cache-Control')).toBe('no-store')
    for (const response of [filled, hit, revalidated, signedIn]) expect(response.headers.has(FRESH_UNTIL)).toBe(false)
  })

  it('shows an admin’s PATCH through the same gateway to the very next anonymous read', async () => {
    const token = await adminToken()
    const product = await newProduct(token)
    const path = `/api/v1/products/${product.id}`
    expect((await warmed(path))[1].body.price_cents).toBe(1500)
    expect((await api('PATCH', path, { token, body: { price_cents: 1990 } })).status).toBe(200)
    const next = await api<Product>('GET', path)
    expect(next.body.price_cents).toBe(1990)
    expect(next.headers.get('X-Cache-Gateway')).toBe('miss')
  })
})
