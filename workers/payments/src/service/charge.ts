import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import type { ChargeRequest, ChargeResponse } from '../../../../shared-contracts/payments'
import type { StoredPayment } from '../repo/payments-repo'
import { log, MAX_ROUNDS, providerKey, type PaymentsDeps } from './deps'
import { fingerprint } from './fingerprint'

const newPaymentId = () => `pay_${crypto.randomUUID().replaceAll('-', '')}`

const captured = (payment: StoredPayment): Result<ChargeResponse> => ok({ payment_id: payment.id, status: 'captured' })

const declined = (reason: string | null) =>
  fail({
    code: 'payment_declined' as const,
    detail:
      reason === 'cancelled' ? 'The charge was cancelled by a refund before it settled.' : `The provider declined the payment (${reason}).`,
  })

const providerError = fail({ code: 'provider_error' as const, detail: 'The payment provider failed; retry with the same key.' })

/**
 * Charges an order, at most once.
 * - Same key: the same answer again (a pending attempt is resumed with the provider under
 *   the same idempotency key); the same key with another request is `idempotency_key_reused`.
 * - Another key for an order that is captured: the existing capture (`conflict` if the amount,
 *   currency or user differ, or if it was refunded or another charge of it is still pending).
 * - The attempt first claims its key and its order (unique constraints), then calls the
 *   provider, then settles: the database, not a check, guarantees a single capture.
 * - The first round goes straight to the claim: a new key for a new order is the common case,
 *   and the constraints catch a key or an order seen before; only then does a round read what
 *   holds them (one statement fewer per charge).
 */
export async function charge(deps: PaymentsDeps, input: ChargeRequest): Promise<Result<ChargeResponse>> {
  const requestHash = await fingerprint(input)
  for (let round = 0; round <= MAX_ROUNDS; round++) {
    if (round > 0) {
      const { sameKey, live } = await deps.repo.findForCharge(input.key, input.order_id)
      if (sameKey)
        return sameKey.requestHash === requestHash ? replay(deps, sameKey, input.payment_token) : fail({ code: 'idempotency_key_reused' })
      if (live) return forOrderTakenBy(live, input)
    }
    const attempt: StoredPayment = {
      id: newPaymentId(),
      key: input.key,
      requestHash,
      orderId: input.order_id,
      userId: input.user_id,
      amountCents: input.amount_cents,
      currency: input.currency,
      status: 'pending',
      declineReason: null,
      providerChargeId: null,
      createdAt: deps.now().toISOString(),
    }
    if (await deps.repo.claim(attempt, deps.provider.name)) {
      return attemptCharge(deps, attempt, input.payment_token)
    }
    // Lost a race for the key or the order: the next round reads the winner.
  }
  throw new Error(`charge of order ${input.order_id}: no stable state after ${MAX_ROUNDS + 1} rounds`)
}

/** The answer for a key already used with this very request: a pending attempt is resumed. */
async function replay(deps: PaymentsDeps, payment: StoredPayment, token: string): Promise<Result<ChargeResponse>> {
  return payment.status === 'pending' ? attemptCharge(deps, payment, token) : settled(payment)
}

function settled(payment: StoredPayment): Result<ChargeResponse> {
  switch (payment.status) {
    case 'captured':
      return captured(payment)
    case 'declined':
      return declined(payment.declineReason)
    case 'refunded':
      return fail({ code: 'conflict', detail: 'This charge was refunded.' })
    case 'pending':
      throw new Error(`payment ${payment.id} is not settled`)
  }
}

/** The answer for a new key when the order already has a live attempt. */
function forOrderTakenBy(live: StoredPayment, input: ChargeRequest): Result<ChargeResponse> {
  if (live.status === 'pending') return fail({ code: 'conflict', detail: 'Another charge of this order is in progress.' })
  if (live.status === 'refunded') return fail({ code: 'conflict', detail: "This order's payment was refunded." })
  const sameTerms = live.userId === input.user_id && live.amountCents === input.amount_cents && live.currency === input.currency
  return sameTerms
    ? captured(live)
    : fail({ code: 'conflict', detail: 'This order was already captured for another amount, currency or user.' })
}

/** Calls the provider for a pending attempt and settles it. */
async function attemptCharge(deps: PaymentsDeps, payment: StoredPayment, token: string): Promise<Result<ChargeResponse>> {
  const outcome = await deps.provider.charge({
    amount_cents: payment.amountCents,
    currency: payment.currency,
    token,
    idempotency_key: providerKey('charge', payment.key),
  })
  if (outcome.status === 'transient_error') {
    log('info', 'provider failed transiently; the charge stays pending', { payment_id: payment.id, reason: outcome.reason })
    return providerError
  }
  if (outcome.status === 'declined') {
    if (await deps.repo.settleDeclined(payment.id, outcome.reason, deps.now())) return declined(outcome.reason)
    return settled(await reread(deps, payment))
  }
  if (await deps.repo.settleCaptured(payment, outcome.provider_charge_id, deps.now())) return captured(payment)
  // Another call settled it first: the same key concurrently (answer what it settled), or a refund
  // that cancelled it while the provider was capturing (give the money back).
  const current = await reread(deps, payment)
  if (current.status === 'declined' && current.declineReason === 'cancelled')
    return voidLateCapture(deps, payment, outcome.provider_charge_id)
  return settled(current)
}

async function reread(deps: PaymentsDeps, payment: StoredPayment): Promise<StoredPayment> {
  const current = await deps.repo.findById(payment.id)
  if (!current) throw new Error(`payment ${payment.id} vanished`)
  return current
}

/**
 * A refund cancelled this attempt while the provider was capturing it: the order must not keep
 * the money. The capture is refunded at once; if even that fails, it is logged for
 * reconciliation (the attempt stays cancelled either way).
 */
async function voidLateCapture(deps: PaymentsDeps, payment: StoredPayment, providerChargeId: string): Promise<Result<ChargeResponse>> {
  const voided = await deps.provider.refund({ provider_charge_id: providerChargeId, idempotency_key: providerKey('void', payment.key) })
  if (voided.status === 'transient_error') {
    log('error', 'a capture that lost to a refund could not be voided: reconcile by hand', {
      payment_id: payment.id,
      order_id: payment.orderId,
      provider_charge_id: providerChargeId,
    })
    return providerError
  }
  return declined('cancelled')
}
