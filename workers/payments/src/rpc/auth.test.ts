import { generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { chargeRequest, gatewayCredential, newOrderId, ordersCredential, rowsOf, rpc } from '../../../../test/support/payments'

/** A key nobody trusts, signing as `orders` under a made-up kid. */
async function strangerCredential(): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256')
  return new SignJWT({ roles: [], rid: 'rid-stranger' })
    .setProtectedHeader({ alg: 'ES256', kid: 'orders-stranger' })
    .setIssuer('orders')
    .setAudience('payments')
    .setSubject('anonymous')
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(privateKey)
}

const REFUSED: [label: string, credential: () => Promise<unknown>][] = [
  ['no credential', async () => undefined],
  ['an empty credential', async () => ''],
  ['garbage', async () => 'not.a.jwt'],
  ['a number', async () => 42],
  ["the gateway's credential (not an allowed caller)", () => gatewayCredential()],
  ["orders' credential for another audience", () => ordersCredential('inventory')],
  ['a credential signed by a key orders does not own', strangerCredential],
]

describe('PaymentsRpc credentials', () => {
  it.each(REFUSED)('refuses a charge with %s as unauthenticated and charges nothing', async (_label, credential) => {
    const request = chargeRequest()
    const result = await rpc.charge((await credential()) as string, request)
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    expect(await rowsOf(request.order_id)).toEqual([])
  })

  it.each(REFUSED)('refuses a refund with %s as unauthenticated', async (_label, credential) => {
    const result = await rpc.refund((await credential()) as string, { order_id: newOrderId(), key: 'k' })
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
  })

  it('checks the credential before the request: a bad request without a credential is unauthenticated', async () => {
    expect(await rpc.charge(undefined as never, {} as never)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
  })
})
