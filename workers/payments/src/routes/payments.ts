import { Hono } from 'hono'
import { listPayments } from '../../../../shared-contracts/api/payments'
import { problem } from '../../../../platform/errors/problem'
import { requirePrincipal } from '../../../../platform/http/require-role'
import { validated } from '../../../../platform/http/validated'
import type { PaymentsEnv } from '../services'

export const paymentsRoutes = new Hono<PaymentsEnv>()

// The gateway already refuses anonymous calls; checking again here is defense in depth.
paymentsRoutes.use(requirePrincipal())

/** `?order_id=&limit=&cursor=`: an admin sees any order's payments, a customer their own (else 404). */
paymentsRoutes.get('/', validated(listPayments), async (c) => {
  const page = await c.var.services.payments.list(c.var.caller.principal!, c.req.valid('query'))
  return page.ok ? c.json(page.value) : problem(c, page.error)
})
