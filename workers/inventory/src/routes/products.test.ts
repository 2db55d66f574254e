import { describe, expect, it } from 'vitest'
import { ProductSchema, type Product } from '../../../../shared-contracts/inventory'
import {
  ADMIN,
  callInventory,
  createProduct,
  CUSTOMER,
  newProductBody,
  readProblem,
  testEnv,
  uniqueSku,
} from '../../../../test/support/inventory'

const create = (body: unknown, principal = ADMIN) => callInventory('/api/v1/products', { method: 'POST', principal, body })
const patch = (id: string, body: unknown, principal = ADMIN) =>
  callInventory(`/api/v1/products/${id}`, { method: 'PATCH', principal, body })
const get = (id: string) => callInventory(`/api/v1/products/${id}`)

async function expectValidationFailed(response: Response, paths: string[]) {
  const { status, contentType, body } = await readProblem(response)
  expect(status).toBe(400)
  expect(contentType).toBe('application/problem+json')
  expect(body).toMatchObject({ status: 400, code: 'validation_failed', request_id: expect.any(String) })
  expect(body.errors?.map((error) => error.path).sort()).toEqual([...paths].sort())
}

async function productsWithSku(sku: string): Promise<number> {
  const row = await testEnv.DB.prepare('SELECT count(*) AS n FROM products WHERE lower(sku) = lower(?1)').bind(sku).first<{ n: number }>()
  return row!.n
}

describe('POST /api/v1/products', () => {
  it('creates a product and answers it with a Location', async () => {
    const body = newProductBody({ initial_stock: 12 })
    const response = await create(body)
    expect(response.status).toBe(201)
    const product = (await response.json()) as Product
    expect(Object.keys(product)).toEqual([
      'id',
      'sku',
      'name',
      'description',
      'price_cents',
      'currency',
      'available',
      'created_at',
      'updated_at',
    ])
    expect(ProductSchema.parse(product)).toEqual({ ...product })
    expect(product).toMatchObject({
      sku: body.sku,
      name: 'Teapot',
      description: 'Short and stout',
      price_cents: 1999,
      currency: 'EUR',
      available: 12,
    })
    expect(new Date(product.created_at).toISOString()).toBe(product.created_at)
    expect(product.updated_at).toBe(product.created_at)
    expect(response.headers.get('Location')).toBe(`/api/v1/products/${product.id}`)
    expect(await (await get(product.id)).json()).toEqual(product)
  })

  it('defaults the description to empty and the stock to none', async () => {
    const { description: _, ...body } = newProductBody()
    const product = (await (await create(body)).json()) as Product
    expect(product).toMatchObject({ description: '', available: 0 })
  })

  it('trims the name and the SKU', async () => {
    const sku = uniqueSku()
    const product = (await (await create(newProductBody({ sku: ` ${sku} `, name: '  Kettle ' }))).json()) as Product
    expect(product).toMatchObject({ sku, name: 'Kettle' })
  })

  it('refuses a taken SKU with 409 sku_taken, in any letter case, and writes nothing', async () => {
    const sku = uniqueSku('dup')
    expect((await create(newProductBody({ sku }))).status).toBe(201)
    for (const again of [sku, sku.toLowerCase()]) {
      const { status, body } = await readProblem(await create(newProductBody({ sku: again, name: 'Other' })))
      expect(status).toBe(409)
      expect(body).toMatchObject({ code: 'sku_taken', status: 409 })
    }
    expect(await productsWithSku(sku)).toBe(1)
  })

  it.each([
    ['sku', ''],
    ['sku', 'has space'],
    ['sku', '-leading-dash'],
    ['sku', 'x'.repeat(65)],
    ['sku', 42],
    ['name', ''],
    ['name', '   '],
    ['name', 'x'.repeat(201)],
    ['description', 'x'.repeat(5001)],
    ['description', 7],
    ['price_cents', 0],
    ['price_cents', -100],
    ['price_cents', 19.99],
    ['price_cents', '1999'],
    ['price_cents', null],
    ['price_cents', 100_000_000_001],
    ['currency', 'eur'],
    ['currency', 'EURO'],
    ['currency', 'E1R'],
    ['currency', ''],
    // Three capital letters are not enough: ISO 4217 codes in circulation only.
    ['currency', 'ABC'],
    ['currency', 'XXX'],
    ['currency', 'HRK'],
    ['initial_stock', -1],
    ['initial_stock', 1.5],
    ['initial_stock', '3'],
  ])('refuses %s = %j and writes nothing', async (field, value) => {
    const body = newProductBody({ [field]: value })
    await expectValidationFailed(await create(body), [field])
    if (typeof body.sku === 'string' && field !== 'sku') expect(await productsWithSku(body.sku)).toBe(0)
  })

  it('refuses missing fields, naming each', async () => {
    await expectValidationFailed(await create({}), ['currency', 'name', 'price_cents', 'sku'])
  })

  it.each(['id', 'available', 'version', 'created_at', 'reserved'])('refuses the unknown field %s (mass assignment)', async (field) => {
    const body = newProductBody({ [field]: 'x' })
    await expectValidationFailed(await create(body), [field])
    expect(await productsWithSku(body.sku as string)).toBe(0)
  })

  it('refuses a body that is not an object, and malformed JSON', async () => {
    await expectValidationFailed(await create([newProductBody()]), [''])
    expect((await readProblem(await create('{"sku": '))).body.code).toBe('malformed_json')
  })

  it('refuses a customer with 403 and an anonymous caller with 401, writing nothing', async () => {
    const body = newProductBody()
    const forbidden = await readProblem(await create(body, CUSTOMER))
    expect(forbidden).toMatchObject({ status: 403, body: { code: 'forbidden' } })
    const anonymous = await callInventory('/api/v1/products', { method: 'POST', principal: null, body })
    expect(anonymous.headers.get('WWW-Authenticate')).toBe('Bearer')
    expect(await readProblem(anonymous)).toMatchObject({ status: 401, body: { code: 'unauthenticated' } })
    expect(await productsWithSku(body.sku)).toBe(0)
  })
})

describe('GET /api/v1/products/{id}', () => {
  it('answers a product to anyone, signed in or not', async () => {
    const product = await createProduct()
    for (const principal of [null, CUSTOMER]) {
      const response = await callInventory(`/api/v1/products/${product.id}`, { principal })
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual(product)
    }
  })

  it('answers 404 not_found for an unknown id', async () => {
    expect(await readProblem(await get('prd_unknown'))).toMatchObject({ status: 404, body: { code: 'not_found' } })
  })
})

describe('PATCH /api/v1/products/{id}', () => {
  it.each([
    [{ name: '  Renamed ' }, { name: 'Renamed' }],
    [{ description: '' }, { description: '' }],
    [{ price_cents: 2500 }, { price_cents: 2500 }],
    [
      { name: 'All', description: 'of them', price_cents: 1 },
      { name: 'All', description: 'of them', price_cents: 1 },
    ],
  ])('changes %j and keeps the change', async (changes, expected) => {
    const product = await createProduct({ initial_stock: 3 })
    const response = await patch(product.id, changes)
    expect(response.status).toBe(200)
    const updated = (await response.json()) as Product
    expect(updated).toEqual({ ...product, ...expected, updated_at: expect.any(String) })
    expect(updated.updated_at >= product.updated_at).toBe(true)
    expect(await (await get(product.id)).json()).toEqual(updated)
  })

  it('answers 404 for an unknown product and creates nothing', async () => {
    expect(await readProblem(await patch('prd_nothing', { name: 'Ghost' }))).toMatchObject({ status: 404, body: { code: 'not_found' } })
    expect(await readProblem(await get('prd_nothing'))).toMatchObject({ status: 404 })
  })

  it.each([
    ['an empty body', {}, ['']],
    ['the sku', { sku: 'NEW-SKU' }, ['sku']],
    ['the currency', { currency: 'USD' }, ['currency']],
    ['the stock', { available: 99 }, ['available']],
    ['a bad price', { price_cents: 0 }, ['price_cents']],
    ['a blank name', { name: ' ' }, ['name']],
    ['a null description', { description: null }, ['description']],
  ])('refuses %s and changes nothing', async (_label, body, paths) => {
    const product = await createProduct()
    await expectValidationFailed(await patch(product.id, body), paths)
    expect(await (await get(product.id)).json()).toEqual(product)
  })

  it('refuses a customer with 403 and changes nothing', async () => {
    const product = await createProduct()
    expect(await readProblem(await patch(product.id, { price_cents: 1 }, CUSTOMER))).toMatchObject({
      status: 403,
      body: { code: 'forbidden' },
    })
    expect(await (await get(product.id)).json()).toEqual(product)
  })
})
