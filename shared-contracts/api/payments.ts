import { pageSchema } from '../api-schemas'
import { EXAMPLES } from '../api-examples'
import { PaymentListQuerySchema, PaymentSchema } from '../payments'
import { route, SIGNED_IN } from '../route'

// Admins see any order's payments; the payments service shows a customer only their own.
export const listPayments = route({
  method: 'GET',
  path: '/api/v1/payments',
  service: 'payments',
  access: SIGNED_IN,
  summary: "An order's payments",
  description: "An admin sees any order's payments; a customer only their own (another's order is a 404).",
  tag: 'Payments',
  query: PaymentListQuerySchema,
  success: { status: 200, schema: pageSchema(PaymentSchema), example: { items: [EXAMPLES.payment], next_cursor: null } },
  errors: ['not_found'],
})
