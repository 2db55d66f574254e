import { generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import type { InventoryRpcApi } from '../../../../shared-contracts/inventory'
import { createCredentialSigner } from '../../../../platform/auth/internal-credential'
import {
  ADMIN,
  callInventory,
  createProduct,
  gatewayCredential,
  ordersCredential,
  rpc,
  testEnv,
  uniqueId,
} from '../../../../test/support/inventory'

const signAsOrders = createCredentialSigner(testEnv.TEST_ORDERS_PRIVATE_KEY, 'orders')

async function strangerCredential(issuer: string): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256')
  const orders = JSON.parse(testEnv.TEST_ORDERS_PRIVATE_KEY) as { kid: string }
  return new SignJWT({ roles: [], rid: 'rid-stranger' })
    .setProtectedHeader({ alg: 'ES256', kid: orders.kid })
    .setIssuer(issuer)
    .setAudience('inventory')
    .setSubject('anonymous')
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(privateKey)
}

/** Credentials inventory must refuse, each for one reason. */
const REFUSED: [string, () => Promise<unknown>][] = [
  ['none at all', async () => undefined],
  ['garbage', async () => 'not.a.jwt'],
  ['a number', async () => 42],
  ['the gateway credential, valid over HTTP', gatewayCredential],
  ['an orders credential for payments', () => signAsOrders('payments', { principal: null, requestId: 'rid-payments' })],
  ['an orders credential signed by a key orders does not own', () => strangerCredential('orders')],
  [
    'a credential from a service that may not call',
    () => createCredentialSigner(testEnv.TEST_ORDERS_PRIVATE_KEY, 'payments')('inventory', { principal: null, requestId: 'rid-x' }),
  ],
]

type Method = keyof InventoryRpcApi

describe('InventoryRpc callers', () => {
  it.each(REFUSED)('refuses %s on every method with unauthenticated, doing nothing', async (_label, credential) => {
    const product = await createProduct({ initial_stock: 3 })
    const order_id = uniqueId('ord')
    const inputs: Record<Method, unknown> = {
      reserve: { order_id, key: uniqueId('key'), items: [{ product_id: product.id, quantity: 1 }] },
      release: { order_id, key: uniqueId('key') },
      commit: { order_id, key: uniqueId('key') },
      getProducts: { ids: [product.id] },
    }
    for (const method of Object.keys(inputs) as Method[]) {
      // Straight on the stub: `rpc[method].call(...)` would be an RPC call named "call".
      const stub = rpc as unknown as Record<Method, (credential: unknown, input: unknown) => Promise<unknown>>
      expect(await stub[method](await credential(), inputs[method])).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    }
    const levels = await (await callInventory(`/api/v1/inventory/${product.id}`, { principal: ADMIN })).json()
    expect(levels).toMatchObject({ reserved: 0, on_hand: 3 })
    // A refused release leaves no tombstone: the order can still reserve.
    const reserved = await rpc.reserve(await ordersCredential(), inputs.reserve as never)
    expect(reserved.ok).toBe(true)
  })
})

describe('InventoryRpc.getProducts', () => {
  it('answers the known products in the order asked, leaving unknown ids out', async () => {
    const [a, b] = [await createProduct({ initial_stock: 2 }), await createProduct()]
    const result = await rpc.getProducts(await ordersCredential(), { ids: [b.id, 'prd_missing', a.id] })
    expect(result).toEqual({ ok: true, value: { items: [b, a] } })
  })

  it('answers the price an admin has just set, and the availability a reservation has just left', async () => {
    const product = await createProduct({ initial_stock: 4 })
    const credential = await ordersCredential()
    expect(await rpc.getProducts(credential, { ids: [product.id] })).toMatchObject({
      ok: true,
      value: { items: [{ price_cents: product.price_cents }] },
    })
    const patched = await callInventory(`/api/v1/products/${product.id}`, {
      method: 'PATCH',
      principal: ADMIN,
      body: { price_cents: 4321 },
    })
    expect(patched.status).toBe(200)
    expect(await rpc.getProducts(credential, { ids: [product.id] })).toMatchObject({ ok: true, value: { items: [{ price_cents: 4321 }] } })

    const order = { order_id: uniqueId('ord'), key: uniqueId('key'), items: [{ product_id: product.id, quantity: 3 }] }
    expect(await rpc.reserve(credential, order)).toMatchObject({ ok: true, value: { items: [{ unit_price_cents: 4321 }] } })
    expect(await rpc.getProducts(credential, { ids: [product.id] })).toMatchObject({ ok: true, value: { items: [{ available: 1 }] } })
  })

  it('refuses an empty list of ids', async () => {
    expect(await rpc.getProducts(await ordersCredential(), { ids: [] })).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
  })
})
