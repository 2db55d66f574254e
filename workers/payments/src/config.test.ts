import { describeBadConfig } from '../../../test/support/bad-config'
import { serviceClient } from '../../../test/support/service-client'
import { CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import { EVENTS_QUEUE } from './events/queue'
import worker from './index'

const client = serviceClient('payments')

describeBadConfig({
  worker,
  origin: 'https://payments.internal',
  paths: ['/health', '/api/v1/payments?order_id=ord_1'],
  headers: async () => ({ [CREDENTIAL_HEADER]: await client.gatewayCredential() }),
  cases: [
    ['PAYMENT_PROVIDER', 'stripe'],
    ['PAYMENT_PROVIDER', undefined],
    ['RETRY_BASE_SECONDS', '-1'],
    ['CLIENT_BODY_TIMEOUT_MS', 'soon'],
  ],
  queue: EVENTS_QUEUE,
})
