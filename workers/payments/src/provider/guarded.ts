import { z } from 'zod'
import { isTimeout, withTimeout } from '../../../../platform/resilience/timeout'
import type { ChargeOutcome, PaymentProvider, RefundOutcome } from './provider'

/** A provider call that takes longer than this has an unknown outcome (OWASP API10). */
export const PROVIDER_TIMEOUT_MS = 10_000

// What the service accepts from a provider: a known status, ids and reasons of bounded length in
// printable ASCII (they are stored and shown), and nothing else (unknown fields are dropped).
const ProviderId = z.string().regex(/^[\x21-\x7e]{1,255}$/)
const Reason = z.string().min(1).max(200)
const ChargeOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('captured'), provider_charge_id: ProviderId }),
  z.object({ status: z.literal('declined'), reason: Reason }),
  z.object({ status: z.literal('transient_error'), reason: z.string() }),
])
const RefundOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('refunded'), provider_refund_id: ProviderId }),
  z.object({ status: z.literal('transient_error'), reason: z.string() }),
])

const unknownOutcome = (reason: string) => ({ status: 'transient_error' as const, reason })

/**
 * Wraps a provider so the service never consumes its answers blindly: a call that does not
 * settle in time, or an answer that is not a valid outcome, becomes `transient_error` — an
 * unknown outcome, which the service keeps pending and settles only with the same key.
 * A transient reason is cut to 200 characters (it is logged).
 */
export function guardProvider(provider: PaymentProvider, { timeoutMs = PROVIDER_TIMEOUT_MS } = {}): PaymentProvider {
  async function consume<T extends ChargeOutcome | RefundOutcome>(
    call: () => Promise<unknown>,
    schema: z.ZodType<T>,
  ): Promise<T | ReturnType<typeof unknownOutcome>> {
    let answer: unknown
    try {
      // The adapter gets no signal: a provider call is not cut off, only no longer waited for.
      answer = await withTimeout(timeoutMs, () => call())
    } catch (error) {
      if (isTimeout(error)) return unknownOutcome(`${provider.name}: no answer within ${timeoutMs} ms`)
      throw error // a bug in the adapter, not an answer
    }
    const parsed = schema.safeParse(answer)
    if (!parsed.success) return unknownOutcome(`${provider.name}: an answer that is not a valid outcome`)
    return parsed.data.status === 'transient_error' ? { ...parsed.data, reason: parsed.data.reason.slice(0, 200) } : parsed.data
  }
  return {
    name: provider.name,
    charge: (request) => consume(() => provider.charge(request), ChargeOutcomeSchema as z.ZodType<ChargeOutcome>),
    refund: (request) => consume(() => provider.refund(request), RefundOutcomeSchema as z.ZodType<RefundOutcome>),
  }
}
