import type { AttemptCounter } from './attempts'
import type { ChargeOutcome, PaymentProvider, RefundOutcome } from './provider'

/**
 * The sandbox provider: test tokens the way card providers' test modes work. Deterministic:
 * the outcome depends only on the token and on how many times the same idempotency key was
 * tried (counted in D1, so it holds across isolates).
 *
 * | token                            | charge                                                   | refunds of that charge |
 * | -------------------------------- | -------------------------------------------------------- | ---------------------- |
 * | `tok_visa`                       | captured                                                 | refunded               |
 * | `tok_chargeDeclined`             | declined (`card_declined`)                               | –                      |
 * | `tok_transientError`             | transient error, every attempt (the provider is down)    | –                      |
 * | `tok_transientError_<n>` (1–9)   | transient error on the first n attempts with a key, then captured | refunded      |
 * | `tok_refundTransientError`       | captured                                                 | transient error, every attempt |
 * | `tok_refundTransientError_<n>`   | captured                                                 | transient error on the first n attempts with a refund key, then refunded |
 * | anything else                    | declined (`invalid_token`), as a real provider answers a token it does not know | – |
 *
 * Like a real provider, the same idempotency key always yields the same charge id.
 */
export const SANDBOX_TOKENS = {
  visa: 'tok_visa',
  declined: 'tok_chargeDeclined',
  transientError: 'tok_transientError',
  refundTransientError: 'tok_refundTransientError',
} as const

/** `always`, a number of failing attempts, or none. */
type Failures = 'always' | number

interface TokenBehaviour {
  charge: 'captured' | 'declined' | 'invalid'
  chargeFailures: Failures
  refundFailures: Failures
}

const TRANSIENT = /^tok_(transientError|refundTransientError)(?:_([1-9]))?$/

export function tokenBehaviour(token: string): TokenBehaviour {
  if (token === SANDBOX_TOKENS.visa) return { charge: 'captured', chargeFailures: 0, refundFailures: 0 }
  if (token === SANDBOX_TOKENS.declined) return { charge: 'declined', chargeFailures: 0, refundFailures: 0 }
  const transient = TRANSIENT.exec(token)
  if (!transient) return { charge: 'invalid', chargeFailures: 0, refundFailures: 0 }
  const failures: Failures = transient[2] ? Number(transient[2]) : 'always'
  return transient[1] === 'transientError'
    ? { charge: 'captured', chargeFailures: failures, refundFailures: 0 }
    : { charge: 'captured', chargeFailures: 0, refundFailures: failures }
}

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  return Array.from(bytes.subarray(0, 12), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Charge ids carry how their refunds behave: `ch_sandbox_<ok|rtall|rt<n>>_<hash>`. */
const CHARGE_ID = /^ch_sandbox_(ok|rtall|rt[1-9])_[0-9a-f]{24}$/

function refundTag(failures: Failures): string {
  return failures === 'always' ? 'rtall' : failures === 0 ? 'ok' : `rt${failures}`
}

function refundFailuresOf(chargeId: string): Failures {
  const match = CHARGE_ID.exec(chargeId)
  if (!match) throw new Error(`not a sandbox charge id: ${chargeId}`)
  const tag = match[1] as string
  return tag === 'ok' ? 0 : tag === 'rtall' ? 'always' : Number(tag.slice(2))
}

async function fails(failures: Failures, counter: AttemptCounter, key: string): Promise<boolean> {
  if (failures === 0) return false
  if (failures === 'always') return true
  return (await counter.next(key)) <= failures
}

export function createSandboxProvider(counter: AttemptCounter): PaymentProvider {
  return {
    name: 'sandbox',

    async charge({ token, idempotency_key }): Promise<ChargeOutcome> {
      const behaviour = tokenBehaviour(token)
      if (behaviour.charge === 'invalid') return { status: 'declined', reason: 'invalid_token' }
      if (behaviour.charge === 'declined') return { status: 'declined', reason: 'card_declined' }
      if (await fails(behaviour.chargeFailures, counter, `charge:${idempotency_key}`)) {
        return { status: 'transient_error', reason: 'sandbox: simulated provider outage' }
      }
      const id = `ch_sandbox_${refundTag(behaviour.refundFailures)}_${await digest(`charge:${idempotency_key}`)}`
      return { status: 'captured', provider_charge_id: id }
    },

    async refund({ provider_charge_id, idempotency_key }): Promise<RefundOutcome> {
      if (await fails(refundFailuresOf(provider_charge_id), counter, `refund:${idempotency_key}`)) {
        return { status: 'transient_error', reason: 'sandbox: simulated provider outage' }
      }
      return { status: 'refunded', provider_refund_id: `re_sandbox_${await digest(`refund:${idempotency_key}`)}` }
    },
  }
}
