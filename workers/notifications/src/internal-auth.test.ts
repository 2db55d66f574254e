import { describeGatewayCredential } from '../../../test/support/internal-auth'

describeGatewayCredential('notifications', [
  ['GET', '/api/v1/notifications'],
  ['GET', '/internal/dead-letters'],
])
