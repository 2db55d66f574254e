import { describe, expect, it } from 'vitest'
import { PUBLIC_READ_CACHE_CONTROL } from '../../../../platform/cache/http-cache'
import type { Result } from '../../../../shared-contracts/errors'
import type { Product } from '../../../../shared-contracts/inventory'
import { ListQuerySchema, type Page } from '../../../../shared-contracts/pagination'
import { LIST_STAMP, productStamp } from '../repo/cache-stamps-repo'
import { createProductReads } from '../service/product-reads'
import { createServices } from '../services'
import { ADMIN, callInventory, createProduct, ordersCredential, rpc, testEnv, uniqueId } from '../../../../test/support/inventory'
import { createProductCache } from './product-cache'

/** A key's stamp in D1 (0 until first bumped). */
const stamp = async (key: string) =>
  (await testEnv.DB.prepare('SELECT stamp FROM cache_stamps WHERE key = ?1').bind(key).first<{ stamp: number }>())?.stamp ?? 0
const get = (path: string, headers: Record<string, string> = {}) => callInventory(path, { principal: null, headers })
const patch = (id: string, body: unknown) => callInventory(`/api/v1/products/${id}`, { method: 'PATCH', principal: ADMIN, body })

/** The product as the list pages show it, walking them all (100 a page). */
async function listed(id: string): Promise<Product | undefined> {
  let cursor: string | null = null
  do {
    const query: string = cursor ? `&cursor=${cursor}` : ''
    const page = (await (await get(`/api/v1/products?limit=100${query}`)).json()) as Page<Product>
    const found = page.items.find((item) => item.id === id)
    if (found) return found
    cursor = page.next_cursor
  } while (cursor)
  return undefined
}

/** Another isolate: its own L1 and stamp view, on the same KV and D1, with a clock the test moves. */
function isolate() {
  let now = 1_000_000
  const cache = createProductCache(testEnv, () => now)
  const reads = createProductReads({ catalog: createServices(testEnv).catalog, cache })
  return { reads, advance: (ms: number) => (now += ms) }
}

describe('the product cache over HTTP', () => {
  it('a first read is a miss that fills L2 (KV); the next is an L1 hit with the same body', async () => {
    const product = await createProduct()
    const first = await get(`/api/v1/products/${product.id}`)
    expect(first.headers.get('X-Cache')).toBe('miss')
    expect(await first.json()).toEqual(product)
    const stored = await testEnv.CACHE.get(`products:product:${product.id}`, 'json')
    expect(stored).toMatchObject({
      value: product,
      version: expect.any(Number),
      stored_at: expect.any(Number),
      stamps: { [productStamp(product.id)]: await stamp(productStamp(product.id)) },
    })
    const second = await get(`/api/v1/products/${product.id}`)
    expect(second.headers.get('X-Cache')).toBe('L1 hit')
    expect(await second.json()).toEqual(product)
    // The isolate's L1 against its (default) bounds.
    const usage = /^entries=(\d+); bytes=(\d+); max_entries=1000; max_bytes=8388608$/.exec(second.headers.get('X-Cache-L1') ?? '')
    expect(usage).not.toBeNull()
    expect(Number(usage![1])).toBeGreaterThanOrEqual(1)
    expect(Number(usage![2])).toBeGreaterThan(JSON.stringify(product).length)
  })

  it('caches "not found" briefly: a second 404 is an L1 hit', async () => {
    const path = `/api/v1/products/prd_${crypto.randomUUID().replaceAll('-', '')}`
    const first = await get(path)
    expect([first.status, first.headers.get('X-Cache')]).toEqual([404, 'miss'])
    expect((await first.json()) as { code: string }).toMatchObject({ code: 'not_found' })
    const second = await get(path)
    expect([second.status, second.headers.get('X-Cache')]).toEqual([404, 'L1 hit'])
    expect(second.headers.get('Cache-Control') ?? '').not.toContain('public')
  })

  it('a PATCH then a GET in the same isolate sees the new price at once, on the product and on list pages', async () => {
    const product = await createProduct({ price_cents: 1000 })
    await get(`/api/v1/products/${product.id}`)
    expect((await listed(product.id))?.price_cents).toBe(1000)
    expect((await patch(product.id, { price_cents: 1234 })).status).toBe(200)
    expect(((await (await get(`/api/v1/products/${product.id}`)).json()) as Product).price_cents).toBe(1234)
    expect((await listed(product.id))?.price_cents).toBe(1234)
  })

  it('a stock count shows in the product read right after it', async () => {
    const product = await createProduct({ initial_stock: 2 })
    await get(`/api/v1/products/${product.id}`)
    expect((await callInventory(`/api/v1/inventory/${product.id}`, { method: 'PUT', principal: ADMIN, body: { on_hand: 9 } })).status).toBe(
      200,
    )
    expect(((await (await get(`/api/v1/products/${product.id}`)).json()) as Product).available).toBe(9)
  })

  /** A product of 5 read once (so it is cached), then 2 of it reserved by the saga's RPC. */
  async function readThenReserveTwo(): Promise<Product> {
    const product = await createProduct({ initial_stock: 5 })
    await get(`/api/v1/products/${product.id}`)
    const reserved = await rpc.reserve(await ordersCredential(), {
      order_id: uniqueId('ord'),
      key: uniqueId('key'),
      items: [{ product_id: product.id, quantity: 2 }],
    })
    expect(reserved.ok).toBe(true)
    return product
  }

  it('a reservation by the saga (RPC) shows in the product read right after it', async () => {
    const product = await readThenReserveTwo()
    expect(((await (await get(`/api/v1/products/${product.id}`)).json()) as Product).available).toBe(3)
  })

  it('after a reservation answers, the product is refilled in L2 with what it left, before anyone reads it', async () => {
    const product = await readThenReserveTwo()
    const stored = async () =>
      ((await testEnv.CACHE.get(`products:product:${product.id}`, 'json')) as { value: Product } | null)?.value.available
    await expect.poll(stored, { timeout: 5_000, interval: 50 }).toBe(3)
  })

  it('the isolate that reserved serves what its reservation left from L1, however soon it reserves again', async () => {
    const product = await readThenReserveTwo()
    for (const [quantity, available] of [
      [1, 2],
      [2, 0],
    ] as const) {
      // Within a second of the first refill: KV takes one write a second per key, and L2 may lag; L1 does not.
      const again = await rpc.reserve(await ordersCredential(), {
        order_id: uniqueId('ord'),
        key: uniqueId('key'),
        items: [{ product_id: product.id, quantity }],
      })
      expect(again.ok).toBe(true)
      const read = await get(`/api/v1/products/${product.id}`)
      expect([read.headers.get('X-Cache'), ((await read.json()) as Product).available]).toEqual(['L1 hit', available])
    }
  })

  it('a product reserved twice in a row shows what the second reservation left, refilled or not', async () => {
    const product = await readThenReserveTwo()
    // Within a second of the first refill: KV takes one write a second per key, so this one may be skipped.
    const again = await rpc.reserve(await ordersCredential(), {
      order_id: uniqueId('ord'),
      key: uniqueId('key'),
      items: [{ product_id: product.id, quantity: 1 }],
    })
    expect(again.ok).toBe(true)
    expect(((await (await get(`/api/v1/products/${product.id}`)).json()) as Product).available).toBe(2)
  })

  it('answers a strong ETag, and 304 with no body to If-None-Match that matches (a list, W/, *)', async () => {
    const product = await createProduct()
    const path = `/api/v1/products/${product.id}`
    const first = await get(path)
    const etag = first.headers.get('ETag')!
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
    expect(first.headers.get('Cache-Control')).toBe(PUBLIC_READ_CACHE_CONTROL)
    for (const ifNoneMatch of [etag, `"other", W/${etag}`, '*']) {
      const revalidated = await get(path, { 'If-None-Match': ifNoneMatch })
      expect(revalidated.status).toBe(304)
      expect(await revalidated.text()).toBe('')
      expect(revalidated.headers.get('ETag')).toBe(etag)
      expect(revalidated.headers.get('Cache-Control')).toBe(PUBLIC_READ_CACHE_CONTROL)
    }
    expect((await get(path, { 'If-None-Match': '"stale"' })).status).toBe(200)
    await patch(product.id, { name: 'Renamed' })
    const changed = await get(path, { 'If-None-Match': etag })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('ETag')).not.toBe(etag)
  })

  it('list pages have ETags and answer 304 too', async () => {
    await createProduct()
    const first = await get('/api/v1/products?limit=2')
    expect(first.status).toBe(200)
    expect(first.headers.get('Cache-Control')).toBe(PUBLIC_READ_CACHE_CONTROL)
    const etag = first.headers.get('ETag')!
    const again = await get('/api/v1/products?limit=2', { 'If-None-Match': etag })
    expect([again.status, await again.text()]).toEqual([304, ''])
    const other = await get('/api/v1/products?limit=3', { 'If-None-Match': etag })
    expect(other.status).toBe(200)
  })

  it('a cursor the list never handed out is a 400, not cached', async () => {
    const response = await get('/api/v1/products?cursor=nonsense')
    expect(response.status).toBe(400)
    expect(response.headers.get('X-Cache')).toBe('bypass')
    expect(response.headers.get('ETag')).toBeNull()
  })
})

describe('the product cache across isolates (real KV and D1, injected clocks)', () => {
  it('another isolate finds what one filled in L2, then keeps it in its own L1', async () => {
    const product = await createProduct()
    const [a, b] = [isolate(), isolate()]
    expect((await a.reads.product(product.id)).level).toBe('source')
    expect(await b.reads.product(product.id)).toEqual({ result: { ok: true, value: product }, level: 'l2', freshUntil: 1_001_000 })
    expect((await b.reads.product(product.id)).level).toBe('l1')
  })

  it("a write bumps its product's stamp in its own batch; another isolate sees the change after its check interval", async () => {
    const product = await createProduct({ price_cents: 500 })
    const other = isolate()
    expect((await other.reads.product(product.id)).result).toMatchObject({ value: { price_cents: 500 } })
    const before = await stamp(productStamp(product.id))
    expect((await patch(product.id, { price_cents: 700 })).status).toBe(200)
    expect(await stamp(productStamp(product.id))).toBeGreaterThan(before)

    // Within its stamp check interval (1 s) the other isolate still serves its copy...
    other.advance(999)
    expect(await other.reads.product(product.id)).toMatchObject({ result: { value: { price_cents: 500 } }, level: 'l1' })
    // ...and after it, the old copy is unreachable in both levels: the writer's isolate has
    // filled L2 anew, or the source answers.
    other.advance(1)
    const after = await other.reads.product(product.id)
    expect(after.result).toMatchObject({ value: { price_cents: 700 } })
    expect(['l2', 'source']).toContain(after.level)
  })

  it('a reservation invalidates only the products it reserved: another isolate keeps the others in its L1', async () => {
    const [reserved, untouched] = [await createProduct({ initial_stock: 5 }), await createProduct({ initial_stock: 5 })]
    const other = isolate()
    await other.reads.product(reserved.id)
    await other.reads.product(untouched.id)
    const result = await rpc.reserve(await ordersCredential(), {
      order_id: uniqueId('ord'),
      key: uniqueId('key'),
      items: [{ product_id: reserved.id, quantity: 2 }],
    })
    expect(result.ok).toBe(true)
    other.advance(1_000)
    expect(await other.reads.product(untouched.id)).toMatchObject({ result: { value: { available: 5 } }, level: 'l1' })
    expect((await other.reads.product(reserved.id)).result).toMatchObject({ value: { available: 3 } })
  })

  it('a commit leaves what the product shows, and its cached copies, as they were', async () => {
    const product = await createProduct({ initial_stock: 5 })
    const order_id = uniqueId('ord')
    const credential = await ordersCredential()
    await rpc.reserve(credential, { order_id, key: uniqueId('key'), items: [{ product_id: product.id, quantity: 2 }] })
    const other = isolate()
    expect((await other.reads.product(product.id)).result).toMatchObject({ value: { available: 3 } })
    const before = await stamp(productStamp(product.id))
    expect(await rpc.commit(credential, { order_id, key: uniqueId('key') })).toMatchObject({ ok: true })
    expect(await stamp(productStamp(product.id))).toBe(before)
    other.advance(1_000)
    expect(await other.reads.product(product.id)).toMatchObject({ result: { value: { available: 3 } }, level: 'l1' })
  })

  it("creating a product bumps the list's stamp: another isolate's list pages show it after its check interval", async () => {
    const other = isolate()
    expect((await other.reads.page(ListQuerySchema.parse({ limit: 100 }))).result.ok).toBe(true)
    const before = await stamp(LIST_STAMP)
    const created = await createProduct()
    expect(await stamp(LIST_STAMP)).toBeGreaterThan(before)
    other.advance(1_000)
    // Walk the pages as that isolate sees them: the new product is on one of them.
    const ids: string[] = []
    let cursor: string | null = null
    do {
      const page: Result<Page<Product>> = (await other.reads.page(ListQuerySchema.parse({ limit: 100, cursor: cursor ?? undefined })))
        .result
      if (!page.ok) throw new Error('a page failed')
      ids.push(...page.value.items.map((item) => item.id))
      cursor = page.value.next_cursor
    } while (cursor)
    expect(ids).toContain(created.id)
  })
})
