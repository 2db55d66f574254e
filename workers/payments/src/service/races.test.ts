import { describe, expect, it } from 'vitest'
import type { ChargeOutcome, PaymentProvider, ProviderRefundRequest, RefundOutcome } from '../provider/provider'
import { memoryAttemptCounter } from '../provider/attempts'
import { createSandboxProvider } from '../provider/sandbox'
import { createPaymentsRepo } from '../repo/payments-repo'
import { chargeRequest, eventsOf, rowsOf, testEnv } from '../../../../test/support/payments'
import { createPaymentsService } from './payments-service'

/**
 * The sandbox, except that charges wait at a gate the test opens: the test decides what
 * happens while the provider is capturing. Real D1 underneath.
 */
function gatedSandbox(refundOutcome?: RefundOutcome) {
  const sandbox = createSandboxProvider(memoryAttemptCounter())
  let open!: () => void
  const gate = new Promise<void>((resolve) => (open = resolve))
  const waiting: (() => void)[] = []
  let entered = 0
  const refunds: ProviderRefundRequest[] = []
  const provider: PaymentProvider = {
    name: 'sandbox',
    async charge(request): Promise<ChargeOutcome> {
      entered++
      for (const wake of waiting.splice(0)) wake()
      await gate
      return sandbox.charge(request)
    },
    async refund(request) {
      refunds.push(request)
      return refundOutcome ?? sandbox.refund(request)
    },
  }
  async function untilEntered(count: number) {
    while (entered < count) await new Promise<void>((resolve) => waiting.push(resolve))
  }
  const service = createPaymentsService({ repo: createPaymentsRepo(testEnv.DB), provider, now: () => new Date() })
  return { service, open, untilEntered, refunds }
}

describe('races with the provider', () => {
  it('gives back a capture that a refund cancelled while the provider was capturing it', async () => {
    const { service, open, untilEntered, refunds } = gatedSandbox()
    const request = chargeRequest()
    const charging = service.charge(request)
    await untilEntered(1)
    expect(await service.refund({ order_id: request.order_id, key: 'refund-1' })).toEqual({ ok: true, value: { status: 'none' } })
    open()
    expect(await charging).toMatchObject({ ok: false, error: { code: 'payment_declined' } })
    expect(refunds).toEqual([
      { provider_charge_id: expect.stringMatching(/^ch_sandbox_/), idempotency_key: `payments:void:${request.key}` },
    ])
    expect(await rowsOf(request.order_id)).toEqual([expect.objectContaining({ status: 'declined', decline_reason: 'cancelled' })])
    expect(await eventsOf(request.order_id)).toEqual([])
  })

  it('answers provider_error when that capture cannot be given back, and keeps the order cancelled', async () => {
    const { service, open, untilEntered } = gatedSandbox({ status: 'transient_error', reason: 'down' })
    const request = chargeRequest()
    const charging = service.charge(request)
    await untilEntered(1)
    await service.refund({ order_id: request.order_id, key: 'refund-1' })
    open()
    expect(await charging).toMatchObject({ ok: false, error: { code: 'provider_error' } })
    expect(await rowsOf(request.order_id)).toEqual([expect.objectContaining({ status: 'declined', decline_reason: 'cancelled' })])
    expect(await eventsOf(request.order_id)).toEqual([])
  })

  it('settles once when two calls with the same key are both at the provider', async () => {
    const { service, open, untilEntered } = gatedSandbox()
    const request = chargeRequest()
    const first = service.charge(request)
    const second = service.charge(request)
    await untilEntered(2)
    open()
    const [a, b] = await Promise.all([first, second])
    expect(a).toMatchObject({ ok: true, value: { status: 'captured' } })
    expect(b).toEqual(a)
    expect((await rowsOf(request.order_id)).map((row) => row.status)).toEqual(['captured'])
    expect(await eventsOf(request.order_id)).toHaveLength(1)
  })

  it('turns away another key while a charge of the order is at the provider', async () => {
    const { service, open, untilEntered } = gatedSandbox()
    const request = chargeRequest()
    const first = service.charge(request)
    await untilEntered(1)
    expect(await service.charge({ ...request, key: 'another-key' })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    open()
    expect(await first).toMatchObject({ ok: true })
    expect((await rowsOf(request.order_id)).map((row) => row.status)).toEqual(['captured'])
  })
})
