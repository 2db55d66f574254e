import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import gateway from '../../workers/gateway/src/index'
import { adminToken, bearer, call, expectProblem, send, signUp } from './client'
import { gatewayServices } from '../../workers/gateway/src/services'
import { sweepServices } from '../../workers/gateway/src/sweep'
import { isSent, pendingOutboxRow } from './sweep'

// Only payments' HTTP route is faulted here: no other cross-Worker test reads it.
describe('PUT /api/v1/admin/faults/{service}', () => {
  it('makes a service fail its calls with 500 until the fault is lifted', async () => {
    const token = await adminToken()
    const set = await send('PUT', '/api/v1/admin/faults/payments', { mode: 'error', rate: 1 }, bearer(token))
    expect(set.status).toBe(200)
    expect(await set.json()).toEqual({ service: 'payments', mode: 'error', rate: 1 })
    try {
      await expectProblem(await call('/api/v1/payments?order_id=ord_x', { headers: bearer(token) }), 500, 'internal_error')
    } finally {
      const lifted = await send('PUT', '/api/v1/admin/faults/payments', { mode: 'none', rate: 0 }, bearer(token))
      expect(lifted.status).toBe(200)
    }
    expect((await call('/api/v1/payments?order_id=ord_x', { headers: bearer(token) })).status).toBe(200)
  })

  it('is for admins, for known services, with a valid body', async () => {
    const { token } = await signUp()
    await expectProblem(await send('PUT', '/api/v1/admin/faults/payments', { mode: 'error', rate: 1 }, bearer(token)), 403, 'forbidden')
    const admin = await adminToken()
    await expectProblem(await send('PUT', '/api/v1/admin/faults/nobody', { mode: 'error', rate: 1 }, bearer(admin)), 404, 'not_found')
    await expectProblem(
      await send('PUT', '/api/v1/admin/faults/payments', { mode: 'error', rate: 2 }, bearer(admin)),
      400,
      'validation_failed',
    )
  })

  it('does not exist where FAULT_INJECTION is not enabled', async () => {
    const admin = await adminToken()
    const ctx = createExecutionContext()
    const response = await gateway.fetch(
      new Request('https://api.example/api/v1/admin/faults/payments', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', ...bearer(admin) },
        body: JSON.stringify({ mode: 'error', rate: 1 }),
      }),
      { ...env, FAULT_INJECTION: undefined },
      ctx,
    )
    await waitOnExecutionContext(ctx)
    await expectProblem(response, 404, 'not_found')
  })

  it("fails that service's sweep too, and the gateway's sweep still reaches every other service", async () => {
    const token = await adminToken()
    const [paymentsRow, usersRow] = [await pendingOutboxRow('payments'), await pendingOutboxRow('users')]
    expect((await send('PUT', '/api/v1/admin/faults/payments', { mode: 'error', rate: 1 }, bearer(token))).status).toBe(200)
    try {
      const outcomes = await sweepServices(gatewayServices(env), Date.now())
      expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([{ service: 'payments', ok: false, error: 'answered 500' }])
      expect(await isSent('users', usersRow)).toBe(true)
      expect(await isSent('payments', paymentsRow)).toBe(false)
    } finally {
      expect((await send('PUT', '/api/v1/admin/faults/payments', { mode: 'none', rate: 0 }, bearer(token))).status).toBe(200)
    }
    // The next minute's sweep does what the failed one could not.
    expect((await sweepServices(gatewayServices(env), Date.now())).every((outcome) => outcome.ok)).toBe(true)
    expect(await isSent('payments', paymentsRow)).toBe(true)
  })
})
