import { describeGatewayCredential } from '../../../test/support/internal-auth'

describeGatewayCredential('payments', [['GET', '/api/v1/payments?order_id=ord_1']])
