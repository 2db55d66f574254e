import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import { encodeCursor } from '../../../../shared-contracts/pagination'
import type { ChargeRequest, PaymentListQuery, PaymentPage, RefundRequest } from '../../../../shared-contracts/payments'
import type { Principal } from '../../../../platform/auth/principal'
import { charge } from './charge'
import type { PaymentsDeps } from './deps'
import { refund } from './refund'

export type PaymentsService = ReturnType<typeof createPaymentsService>

export function createPaymentsService(deps: PaymentsDeps) {
  return {
    /** Charges an order at most once (service/charge.ts). */
    charge: (input: ChargeRequest) => charge(deps, input),

    /** Refunds an order's capture, if any; idempotent (service/refund.ts). */
    refund: (input: RefundRequest) => refund(deps, input),

    /**
     * An order's payments, oldest first. An admin sees any order's; a customer only their own:
     * an order they have no payment for is `not_found`, whether it is someone else's, has no
     * payment yet, or does not exist (its existence is not leaked).
     */
    async list(principal: Principal, query: PaymentListQuery): Promise<Result<PaymentPage>> {
      const isAdmin = principal.roles.includes('admin')
      const userId = isAdmin ? undefined : principal.id
      const page = await deps.repo.listByOrder({ orderId: query.order_id, userId, limit: query.limit, after: query.cursor })
      if (userId !== undefined && page.items.length === 0 && !(await deps.repo.hasPaymentFor(query.order_id, userId))) {
        return fail({ code: 'not_found', detail: 'No payments for this order.' })
      }
      const last = page.items.at(-1)
      return ok({ items: page.items, next_cursor: page.more && last ? encodeCursor([last.created_at, last.id]) : null })
    },
  }
}
