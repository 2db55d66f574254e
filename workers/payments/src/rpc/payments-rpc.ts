import { WorkerEntrypoint } from 'cloudflare:workers'
import type { Result } from '../../../../shared-contracts/errors'
import {
  ChargeRequestSchema,
  RefundRequestSchema,
  type ChargeResponse,
  type PaymentsRpcApi,
  type RefundResponse,
} from '../../../../shared-contracts/payments'
import { rpcMethods } from '../../../../platform/rpc/method'
import type { Env } from '../env'
import { SERVICE } from '../events/payment-events'
import { paymentsService } from '../services'

/** Only the order saga charges and refunds. */
const rpcMethod = rpcMethods({ service: SERVICE, callers: ['orders'], services: (env: Env) => paymentsService(env) })

/**
 * The payments operations of the order saga, over a service binding
 * (`entrypoint = "PaymentsRpc"`). Each method takes a credential `orders` signed for audience
 * `payments` first, then a request checked against its contract schema; it answers a `Result`
 * value, never a thrown business error (see PaymentsRpcApi in shared-contracts/payments.ts).
 */
export class PaymentsRpc extends WorkerEntrypoint<Env> implements PaymentsRpcApi {
  /** Charges an order at most once: `{ payment_id, status: 'captured' }`, `payment_declined`, `provider_error` (retry, same key), `conflict` or `idempotency_key_reused`. */
  async charge(credential: unknown, request: unknown): Promise<Result<ChargeResponse>> {
    return rpcMethod(this.env, this.ctx, credential, request, {
      schema: ChargeRequestSchema,
      run: (payments, _caller, input) => payments.charge(input),
      writes: true,
    })
  }

  /** Refunds an order's capture: `{ status: 'refunded' }`, or `{ status: 'none' }` when there is none; `provider_error` (retry). */
  async refund(credential: unknown, request: unknown): Promise<Result<RefundResponse>> {
    return rpcMethod(this.env, this.ctx, credential, request, {
      schema: RefundRequestSchema,
      run: (payments, _caller, input) => payments.refund(input),
      writes: true,
    })
  }
}
