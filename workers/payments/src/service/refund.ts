import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import type { RefundRequest, RefundResponse } from '../../../../shared-contracts/payments'
import type { StoredPayment } from '../repo/payments-repo'
import { log, MAX_ROUNDS, providerKey, type PaymentsDeps } from './deps'

const none: Result<RefundResponse> = ok({ status: 'none' })
const refunded: Result<RefundResponse> = ok({ status: 'refunded' })

/**
 * Refunds the order's capture: the compensation of a charge, safe to call any number of times
 * with any key.
 * - No capture (never charged, or declined): `none`, nothing done.
 * - Already refunded: `refunded` again, nothing done.
 * - A charge still pending (at or lost at the provider): cancelled, `none`; if the provider
 *   captures it after all, the charge gives the money back (charge.ts).
 * - Captured: refunded at the provider with the caller's key, then recorded with its event;
 *   a transient provider failure is `provider_error` (retry).
 */
export async function refund(deps: PaymentsDeps, input: RefundRequest): Promise<Result<RefundResponse>> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const live = await deps.repo.findLiveByOrder(input.order_id)
    if (!live) return none
    switch (live.status) {
      case 'refunded':
        return refunded
      case 'pending':
        if (await deps.repo.settleDeclined(live.id, 'cancelled', deps.now())) return none
        break // it settled meanwhile: look again
      case 'captured':
        return refundCapture(deps, live, input.key)
    }
  }
  throw new Error(`refund of order ${input.order_id}: no stable state after ${MAX_ROUNDS} rounds`)
}

async function refundCapture(deps: PaymentsDeps, payment: StoredPayment, key: string): Promise<Result<RefundResponse>> {
  if (!payment.providerChargeId) throw new Error(`captured payment ${payment.id} has no provider charge id`)
  const outcome = await deps.provider.refund({ provider_charge_id: payment.providerChargeId, idempotency_key: providerKey('refund', key) })
  if (outcome.status === 'transient_error') {
    log('info', 'provider failed transiently; the payment stays captured', { payment_id: payment.id, reason: outcome.reason })
    return fail({ code: 'provider_error', detail: 'The payment provider failed; retry the refund.' })
  }
  if (await deps.repo.settleRefunded(payment, deps.now())) return refunded
  // A concurrent refund recorded it first (the provider refunds a charge once, whatever the key).
  const current = await deps.repo.findById(payment.id)
  if (current?.status !== 'refunded') throw new Error(`payment ${payment.id} is ${current?.status} after its refund`)
  return refunded
}
