import { describeGatewayCredential } from '../../../test/support/internal-auth'

describeGatewayCredential('orders', [
  ['POST', '/api/v1/orders', { items: [{ product_id: 'prd_x', quantity: 1 }], payment_token: 'tok_visa' }],
  ['GET', '/api/v1/orders'],
  ['GET', '/api/v2/orders'],
  ['GET', '/api/v1/orders/ord_1'],
  ['GET', '/api/v1/orders/ord_1/saga'],
  ['GET', '/api/v1/admin/sagas'],
  ['GET', '/internal/dead-letters'],
])
