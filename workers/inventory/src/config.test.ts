import { describeBadConfig } from '../../../test/support/bad-config'
import { serviceClient } from '../../../test/support/service-client'
import { CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import { EVENTS_QUEUE } from './events/queue'
import worker from './index'

const client = serviceClient('inventory')

describeBadConfig({
  worker,
  origin: 'https://inventory.internal',
  paths: ['/health', '/api/v1/products'],
  headers: async () => ({ [CREDENTIAL_HEADER]: await client.gatewayCredential() }),
  cases: [
    ['CACHE_LEVELS', 'l1'],
    ['CACHE_L2_TTL_S', '30'],
    ['RETRY_BASE_SECONDS', 'x'],
  ],
  queue: EVENTS_QUEUE,
})
