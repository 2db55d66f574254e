import { Hono } from 'hono'
import { PaymentListQuerySchema } from '../../../../shared-contracts/payments'
import { problem } from '../../../../platform/errors/problem'
import { validate } from '../../../../platform/http/json-body'
import { requirePrincipal } from '../../../../platform/http/require-role'
import type { PaymentsEnv } from '../env'

export const paymentsRoutes = new Hono<PaymentsEnv>()

// The gateway already refuses anonymous calls; checking again here is defense in depth.
paymentsRoutes.use(requirePrincipal())

/** `?order_id=&limit=&cursor=`: an admin sees any order's payments, a customer their own (else 404). */
paymentsRoutes.get('/', async (c) => {
  const query = validate(PaymentListQuerySchema, c.req.query())
  if (!query.ok) return problem(c, query.error)
  const page = await c.var.services.payments.list(c.var.caller.principal!, query.value)
  return page.ok ? c.json(page.value) : problem(c, page.error)
})
