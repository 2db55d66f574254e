import type { ChargeRequest } from '../../../../shared-contracts/payments'

/**
 * SHA-256 over what a charge asks for (not its key). A retry with the same key must send the
 * same request; the token is hashed, never stored.
 */
export async function fingerprint(request: ChargeRequest): Promise<string> {
  const canonical = JSON.stringify([request.order_id, request.user_id, request.amount_cents, request.currency, request.payment_token])
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical)))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
