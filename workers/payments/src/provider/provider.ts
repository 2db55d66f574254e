/**
 * The adapter between the payments service and a payment provider. A real provider (Stripe,
 * Adyen...) plugs in by implementing this and adding a case to `createProvider`.
 *
 * Contract for implementations:
 * - Pass `idempotency_key` to the provider: a retry with the same key must never charge or
 *   refund twice (the service retries unsettled charges with their original key).
 * - `transient_error` means "try again later, with the same key". An outcome that is unknown
 *   (a timeout) must be reported as `transient_error` too: the service keeps the attempt
 *   pending and only the same key can settle it.
 * - Refunds are full refunds; refunding a charge that is already refunded answers `refunded`.
 * - Business outcomes are values; throw only for bugs (e.g. a charge id this provider never made).
 */
export interface PaymentProvider {
  readonly name: string
  charge(request: ProviderChargeRequest): Promise<ChargeOutcome>
  refund(request: ProviderRefundRequest): Promise<RefundOutcome>
}

export interface ProviderChargeRequest {
  amount_cents: number
  currency: string
  token: string
  idempotency_key: string
}

export interface ProviderRefundRequest {
  provider_charge_id: string
  idempotency_key: string
}

export type ChargeOutcome =
  | { status: 'captured'; provider_charge_id: string }
  | { status: 'declined'; reason: string }
  | { status: 'transient_error'; reason: string }

export type RefundOutcome = { status: 'refunded'; provider_refund_id: string } | { status: 'transient_error'; reason: string }
