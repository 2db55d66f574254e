import { asGateway, describeBadConfig } from '../../../test/support/bad-config'
import { EVENTS_QUEUE } from './events/queue'
import worker from './index'

describeBadConfig({
  worker,
  ...asGateway('inventory'),
  paths: ['/health', '/api/v1/products'],
  cases: [
    ['CACHE_LEVELS', 'l1'],
    ['CACHE_L2_TTL_S', '30'],
    ['RETRY_BASE_SECONDS', 'x'],
  ],
  queue: EVENTS_QUEUE,
})
