import { exportJWK, generateKeyPair } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { createCredentialSigner, createCredentialVerifier, reuseCredentials, type Caller, type Signer } from './internal-credential'

const REUSE_MS = 15_000
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const customer: Caller = { principal: { id: 'u_1', roles: ['customer'] }, requestId: 'req-00000001' }

let sign: Signer
let verifyForUsers: ReturnType<typeof createCredentialVerifier>
let publicJwks: string

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const kid = 'gateway-test-1'
  sign = createCredentialSigner(JSON.stringify({ ...(await exportJWK(privateKey)), kid }))
  publicJwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] })
  verifyForUsers = createCredentialVerifier(publicJwks, 'users')
})

/** A reusing signer on a hand-driven clock that counts the signatures it asks for. */
function reusing() {
  const state = { clock: 1_000_000, signatures: 0 }
  const counted: Signer = (audience, caller) => {
    state.signatures += 1
    return sign(audience, caller)
  }
  return { state, sign: reuseCredentials(counted, { reuseMs: REUSE_MS, maxEntries: 2, now: () => state.clock }) }
}

describe('reuseCredentials', () => {
  it('signs once per audience and principal within the reuse time, then afresh', async () => {
    const { state, sign: reused } = reusing()
    const first = await reused('users', customer)
    state.clock += REUSE_MS - 1
    expect(await reused('users', { ...customer, requestId: 'req-00000002' })).toBe(first)
    expect(state.signatures).toBe(1)
    state.clock += 1
    expect(await reused('users', customer)).not.toBe(first)
    expect(state.signatures).toBe(2)
  })

  it('never hands one principal’s credential to another, nor one service’s to another', async () => {
    const { sign: reused } = reusing()
    const forUsers = await reused('users', customer)
    const seen = new Set([
      forUsers,
      await reused('orders', customer),
      await reused('users', { ...customer, principal: { id: 'u_2', roles: ['customer'] } }),
      await reused('users', { ...customer, principal: { id: 'u_1', roles: ['customer', 'admin'] } }),
      await reused('users', { ...customer, principal: null }),
    ])
    expect(seen.size).toBe(5)
    const verified = await verifyForUsers(forUsers)
    expect(verified).toEqual({ ok: true, value: { principal: customer.principal, requestId: customer.requestId } })
  })

  it('signs afresh whenever a trace context is carried: tp belongs to one request', async () => {
    const { state, sign: reused } = reusing()
    const traced = { ...customer, traceparent: TRACEPARENT }
    const first = await reused('users', traced)
    expect(await reused('users', traced)).not.toBe(first)
    expect(state.signatures).toBe(2)
    expect(await verifyForUsers(first)).toMatchObject({ ok: true, value: { traceparent: TRACEPARENT } })
  })

  it('holds at most maxEntries credentials', async () => {
    const { state, sign: reused } = reusing()
    const callers = ['u_a', 'u_b', 'u_c'].map((id): Caller => ({ principal: { id, roles: ['customer'] }, requestId: 'req-00000001' }))
    for (const caller of callers) await reused('users', caller)
    await reused('users', callers[2]!)
    await reused('users', callers[1]!)
    expect(state.signatures).toBe(3)
    await reused('users', callers[0]!)
    expect(state.signatures).toBe(4)
  })
})

describe('createCredentialVerifier', () => {
  /** A verifier on a hand-driven clock, starting at the real time the credentials are signed at. */
  const clocked = (audience = 'users') => {
    const state = { clock: Date.now() }
    return { state, verify: createCredentialVerifier(publicJwks, audience, undefined, { maxEntries: 2, now: () => state.clock }) }
  }

  it('answers a credential it verified with the same caller each time it comes again', async () => {
    const { verify } = clocked()
    const credential = await sign('users', customer)
    const first = await verify(credential)
    expect(first).toEqual({ ok: true, value: customer })
    expect(await verify(credential)).toEqual(first)
  })

  it('never remembers a credential past its expiry', async () => {
    const { state, verify } = clocked()
    const credential = await sign('users', customer)
    expect((await verify(credential)).ok).toBe(true)
    state.clock += 59_000
    expect((await verify(credential)).ok).toBe(true)
    state.clock += 2 * 60_000
    expect(await verify(credential)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
  })

  it('never remembers a refused one: another service’s credential, or one altered in transit', async () => {
    const { verify } = clocked('orders')
    const forUsers = await sign('users', customer)
    for (let attempt = 0; attempt < 2; attempt++) expect((await verify(forUsers)).ok).toBe(false)
    const forOrders = await sign('orders', customer)
    const altered = `${forOrders.slice(0, -4)}${forOrders.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`
    for (let attempt = 0; attempt < 2; attempt++) expect((await verify(altered)).ok).toBe(false)
    expect((await verify(forOrders)).ok).toBe(true)
  })
})
