import { WorkerEntrypoint } from 'cloudflare:workers'
import type { Result } from '../../../shared-contracts/errors'
import {
  ChargeRequestSchema,
  RefundRequestSchema,
  type ChargeResponse,
  type PaymentsRpcApi,
  type RefundResponse,
} from '../../../shared-contracts/payments'
import { relayOutbox } from '../../../platform/events/outbox'
import { injectedRpcFault } from '../../../platform/faults/faults'
import { validate } from '../../../platform/http/json-body'
import { createRpcGuard } from '../../../platform/rpc/guard'
import { createLogger } from '../../../platform/telemetry/log'
import { withRequestContext } from '../../../platform/telemetry/request-context'
import type { Env } from './env'
import { SERVICE } from './events/payment-events'
import { paymentsService } from './services'

const verifyCaller = createRpcGuard(SERVICE)
const log = createLogger(SERVICE)
/** Only the order saga charges and refunds. */
const CALLERS = ['orders'] as const

/** After a write, the events leave at once; the cron sweep sends whatever this could not. */
function relayAfterWrite(ctx: ExecutionContext, env: Env) {
  ctx.waitUntil(
    relayOutbox(env.DB, env).then(
      () => undefined,
      (error: unknown) => log.error('outbox relay failed', { error }),
    ),
  )
}

/**
 * The payments operations of the order saga, over a service binding
 * (`entrypoint = "PaymentsRpc"`). Each method takes a credential `orders` signed for audience
 * `payments` first, then a request checked against its contract schema; it answers a `Result`
 * value, never a thrown business error (see PaymentsRpcApi in shared-contracts/payments.ts).
 */
export class PaymentsRpc extends WorkerEntrypoint<Env> implements PaymentsRpcApi {
  /** Charges an order at most once: `{ payment_id, status: 'captured' }`, `payment_declined`, `provider_error` (retry, same key), `conflict` or `idempotency_key_reused`. */
  async charge(credential: unknown, request: unknown): Promise<Result<ChargeResponse>> {
    const caller = await verifyCaller(this.env, credential, CALLERS)
    if (!caller.ok) return caller
    const fault = await injectedRpcFault(this.env)
    if (fault) return fault
    const input = validate(ChargeRequestSchema, request)
    if (!input.ok) return input
    const result = await withRequestContext({ requestId: caller.value.requestId }, () => paymentsService(this.env).charge(input.value))
    relayAfterWrite(this.ctx, this.env)
    return result
  }

  /** Refunds an order's capture: `{ status: 'refunded' }`, or `{ status: 'none' }` when there is none; `provider_error` (retry). */
  async refund(credential: unknown, request: unknown): Promise<Result<RefundResponse>> {
    const caller = await verifyCaller(this.env, credential, CALLERS)
    if (!caller.ok) return caller
    const fault = await injectedRpcFault(this.env)
    if (fault) return fault
    const input = validate(RefundRequestSchema, request)
    if (!input.ok) return input
    const result = await withRequestContext({ requestId: caller.value.requestId }, () => paymentsService(this.env).refund(input.value))
    relayAfterWrite(this.ctx, this.env)
    return result
  }
}
