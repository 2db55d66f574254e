import { asGateway, describeBadConfig } from '../../../test/support/bad-config'
import { EVENTS_QUEUE } from './events/queue'
import worker from './index'

describeBadConfig({
  worker,
  ...asGateway('notifications'),
  paths: ['/health', '/ready'],
  cases: [
    ['NOTIFICATION_WEBHOOK_URL', 'not a url'],
    ['NOTIFICATION_WEBHOOK_URL', 'https://elsewhere.example/hook'],
    ['RETRY_BASE_SECONDS', '0'],
  ],
  queue: EVENTS_QUEUE,
})
