import { describe, expect, it } from 'vitest'
import { callInventory, newProductBody, testEnv } from '../../../test/support/inventory'
import { describeGatewayCredential, expectDenied } from '../../../test/support/internal-auth'

describeGatewayCredential('inventory', [
  ['GET', '/api/v1/products'],
  ['GET', '/api/v1/products/prd_x'],
  ['POST', '/api/v1/products', newProductBody()],
  ['PATCH', '/api/v1/products/prd_x', { name: 'Eve' }],
  ['GET', '/api/v1/inventory/prd_x'],
  ['PUT', '/api/v1/inventory/prd_x', { on_hand: 1 }],
])

describe('gateway credential, for inventory', () => {
  it('creates nothing when an admin write without a credential is refused', async () => {
    const body = newProductBody()
    await expectDenied(await callInventory('/api/v1/products', { method: 'POST', body, credential: null }))
    const row = await testEnv.DB.prepare('SELECT count(*) AS n FROM products WHERE sku = ?1').bind(body.sku).first<{ n: number }>()
    expect(row!.n).toBe(0)
  })
})
