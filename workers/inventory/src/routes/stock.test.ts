import { describe, expect, it } from 'vitest'
import type { StockLevels } from '../../../../shared-contracts/inventory'
import {
  ADMIN,
  callInventory,
  createProduct,
  CUSTOMER,
  ordersCredential,
  readProblem,
  rpc,
  uniqueId,
} from '../../../../test/support/inventory'

const levelsOf = (productId: string, principal = ADMIN) => callInventory(`/api/v1/inventory/${productId}`, { principal })
const put = (productId: string, body: unknown, principal = ADMIN) =>
  callInventory(`/api/v1/inventory/${productId}`, { method: 'PUT', principal, body })

async function levels(productId: string): Promise<StockLevels> {
  const response = await levelsOf(productId)
  expect(response.status).toBe(200)
  return (await response.json()) as StockLevels
}

async function reserve(productId: string, quantity: number) {
  const result = await rpc.reserve(await ordersCredential(), {
    order_id: uniqueId('ord'),
    key: uniqueId('key'),
    items: [{ product_id: productId, quantity }],
  })
  if (!result.ok) throw new Error(result.error.code)
}

describe('GET /api/v1/inventory/{product_id}', () => {
  it('answers the levels of a product', async () => {
    const product = await createProduct({ initial_stock: 8 })
    await reserve(product.id, 3)
    const response = await levelsOf(product.id)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ product_id: product.id, on_hand: 8, reserved: 3, available: 5 })
  })

  it('answers 404 for an unknown product', async () => {
    expect(await readProblem(await levelsOf('prd_unknown'))).toMatchObject({ status: 404, body: { code: 'not_found' } })
  })

  it('refuses a customer with 403 and an anonymous caller with 401', async () => {
    const product = await createProduct()
    expect(await readProblem(await levelsOf(product.id, CUSTOMER))).toMatchObject({ status: 403, body: { code: 'forbidden' } })
    expect(await readProblem(await callInventory(`/api/v1/inventory/${product.id}`, { principal: null }))).toMatchObject({
      status: 401,
      body: { code: 'unauthenticated' },
    })
  })
})

describe('PUT /api/v1/inventory/{product_id}', () => {
  it('sets the count on hand and answers the levels; the product shows what is available', async () => {
    const product = await createProduct({ initial_stock: 2 })
    await reserve(product.id, 1)
    const response = await put(product.id, { on_hand: 10 })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ product_id: product.id, on_hand: 10, reserved: 1, available: 9 })
    expect(await levels(product.id)).toEqual({ product_id: product.id, on_hand: 10, reserved: 1, available: 9 })
    expect(await (await callInventory(`/api/v1/products/${product.id}`)).json()).toMatchObject({ available: 9 })
  })

  it('accepts exactly what is reserved, leaving nothing available, and zero when nothing is', async () => {
    const product = await createProduct({ initial_stock: 5 })
    await reserve(product.id, 4)
    expect(await (await put(product.id, { on_hand: 4 })).json()).toMatchObject({ on_hand: 4, reserved: 4, available: 0 })
    const empty = await createProduct({ initial_stock: 5 })
    expect(await (await put(empty.id, { on_hand: 0 })).json()).toMatchObject({ on_hand: 0, reserved: 0, available: 0 })
  })

  it('refuses a count below what is reserved with 409 conflict, and changes nothing', async () => {
    const product = await createProduct({ initial_stock: 5 })
    await reserve(product.id, 3)
    const { status, body } = await readProblem(await put(product.id, { on_hand: 2 }))
    expect(status).toBe(409)
    expect(body.code).toBe('conflict')
    expect(await levels(product.id)).toEqual({ product_id: product.id, on_hand: 5, reserved: 3, available: 2 })
  })

  it('answers 404 for an unknown product', async () => {
    expect(await readProblem(await put('prd_unknown', { on_hand: 1 }))).toMatchObject({ status: 404, body: { code: 'not_found' } })
  })

  it.each([
    ['negative', { on_hand: -1 }, ['on_hand']],
    ['fractional', { on_hand: 1.5 }, ['on_hand']],
    ['a string', { on_hand: '5' }, ['on_hand']],
    ['missing', {}, ['on_hand']],
    ['beside another field', { on_hand: 5, reserved: 0 }, ['reserved']],
    ['too large', { on_hand: 1_000_000_001 }, ['on_hand']],
  ])('refuses an on_hand that is %s, and changes nothing', async (_label, body, paths) => {
    const product = await createProduct({ initial_stock: 5 })
    const { status, body: problem } = await readProblem(await put(product.id, body))
    expect(status).toBe(400)
    expect(problem.code).toBe('validation_failed')
    expect(problem.errors?.map((error) => error.path)).toEqual(paths)
    expect(await levels(product.id)).toMatchObject({ on_hand: 5 })
  })

  it('refuses malformed JSON with 400', async () => {
    const product = await createProduct()
    expect((await readProblem(await put(product.id, '{"on_hand":'))).body.code).toBe('malformed_json')
  })

  it('refuses a customer with 403, and changes nothing', async () => {
    const product = await createProduct({ initial_stock: 5 })
    expect(await readProblem(await put(product.id, { on_hand: 0 }, CUSTOMER))).toMatchObject({ status: 403, body: { code: 'forbidden' } })
    expect(await levels(product.id)).toMatchObject({ on_hand: 5 })
  })
})
