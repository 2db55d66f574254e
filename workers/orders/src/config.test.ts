import { describeBadConfig } from '../../../test/support/bad-config'
import { serviceClient } from '../../../test/support/service-client'
import { CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import { EVENTS_QUEUE } from './events/queue'
import worker from './index'

const client = serviceClient('orders')

describeBadConfig({
  worker,
  origin: 'https://orders.internal',
  paths: ['/health', '/ready'],
  headers: async () => ({ [CREDENTIAL_HEADER]: await client.gatewayCredential() }),
  cases: [
    ['SAGA_RETRY_HORIZON_MS', '2m'],
    ['EVENT_RETENTION_DAYS', '0'],
    ['RETRY_BASE_SECONDS', 'x'],
  ],
  queue: EVENTS_QUEUE,
})
