import { describeBadConfig } from '../../../test/support/bad-config'
import { serviceClient } from '../../../test/support/service-client'
import { CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import { EVENTS_QUEUE } from './events/queue'
import worker from './index'

const client = serviceClient('notifications')

describeBadConfig({
  worker,
  origin: 'https://notifications.internal',
  paths: ['/health', '/ready'],
  headers: async () => ({ [CREDENTIAL_HEADER]: await client.gatewayCredential() }),
  cases: [
    ['NOTIFICATION_WEBHOOK_URL', 'not a url'],
    ['NOTIFICATION_WEBHOOK_URL', 'https://elsewhere.example/hook'],
    ['RETRY_BASE_SECONDS', '0'],
  ],
  queue: EVENTS_QUEUE,
})
