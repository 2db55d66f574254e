import { asGateway, describeBadConfig } from '../../../test/support/bad-config'
import { EVENTS_QUEUE } from './events/queue'
import worker from './index'

describeBadConfig({
  worker,
  ...asGateway('orders'),
  paths: ['/health', '/ready'],
  cases: [
    ['SAGA_RETRY_HORIZON_MS', '2m'],
    ['EVENT_RETENTION_DAYS', '0'],
    ['RETRY_BASE_SECONDS', 'x'],
  ],
  queue: EVENTS_QUEUE,
})
