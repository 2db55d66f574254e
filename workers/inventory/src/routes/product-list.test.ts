import { describe, expect, it } from 'vitest'
import type { Product } from '../../../../shared-contracts/inventory'
import type { Page } from '../../../../shared-contracts/pagination'
import { callInventory, createProduct, CUSTOMER, readProblem } from '../../../../test/support/inventory'

const list = (query = '', principal = CUSTOMER) => callInventory(`/api/v1/products${query}`, { principal })

async function page(query: string): Promise<Page<Product>> {
  const response = await list(query)
  expect(response.status).toBe(200)
  return (await response.json()) as Page<Product>
}

/** Walks the whole list, `limit` at a time. */
async function walk(limit: number): Promise<Product[][]> {
  const pages: Product[][] = []
  let cursor: string | null = null
  do {
    const current: Page<Product> = await page(`?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    pages.push(current.items)
    cursor = current.next_cursor
  } while (cursor !== null && pages.length < 1000)
  return pages
}

const byListOrder = (a: Product, b: Product) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)

describe('GET /api/v1/products', () => {
  it('lists to anyone, as { items, next_cursor }', async () => {
    const product = await createProduct()
    for (const principal of [null, CUSTOMER]) {
      const response = await callInventory('/api/v1/products?limit=100', { principal })
      expect(response.status).toBe(200)
      const body = (await response.json()) as Page<Product>
      expect(Object.keys(body).sort()).toEqual(['items', 'next_cursor'])
      if (body.next_cursor === null) expect(body.items).toContainEqual(product)
    }
  })

  it('walks every product exactly once, in a stable (created_at, id) order, page by page', async () => {
    const created = [await createProduct(), await createProduct(), await createProduct()]
    const pages = await walk(2)
    for (const items of pages) expect(items.length).toBeLessThanOrEqual(2)
    const all = pages.flat()
    expect(new Set(all.map((product) => product.id)).size).toBe(all.length)
    expect(all).toEqual([...all].sort(byListOrder))
    for (const product of created) expect(all).toContainEqual(product)
    expect(pages.at(-1)!.length).toBeGreaterThan(0)
  })

  it('answers the same pages when walked twice', async () => {
    await createProduct()
    expect(await walk(3)).toEqual(await walk(3))
  })

  it('defaults to 20 items a page', async () => {
    for (let i = 0; i < 21; i++) await createProduct()
    const first = await page('')
    expect(first.items).toHaveLength(20)
    expect(first.next_cursor).toEqual(expect.any(String))
  })

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?limit=-1', 'limit'],
    ['?limit=1.5', 'limit'],
    ['?limit=ten', 'limit'],
    ['?cursor=not-a-cursor', 'cursor'],
    ['?cursor=WzEsMl0', 'cursor'], // a cursor of other positions: [1, 2]
    ['?cursor=', 'cursor'],
    ['?offset=10', 'offset'],
  ])('refuses %s with 400 naming %s', async (query, path) => {
    const { status, body } = await readProblem(await list(query))
    expect(status).toBe(400)
    expect(body.code).toBe('validation_failed')
    expect(body.errors?.map((error) => error.path)).toEqual([path])
  })
})
