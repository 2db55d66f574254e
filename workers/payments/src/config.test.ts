import { asGateway, describeBadConfig } from '../../../test/support/bad-config'
import { EVENTS_QUEUE } from './events/queue'
import worker from './index'

describeBadConfig({
  worker,
  ...asGateway('payments'),
  paths: ['/health', '/api/v1/payments?order_id=ord_1'],
  cases: [
    ['PAYMENT_PROVIDER', 'stripe'],
    ['PAYMENT_PROVIDER', undefined],
    ['RETRY_BASE_SECONDS', '-1'],
    ['CLIENT_BODY_TIMEOUT_MS', 'soon'],
  ],
  queue: EVENTS_QUEUE,
})
