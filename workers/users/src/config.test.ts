import { asGateway, describeBadConfig } from '../../../test/support/bad-config'
import worker from './index'

describeBadConfig({
  worker,
  ...asGateway('users'),
  paths: ['/health', '/.well-known/jwks.json', '/no/such/route'],
  cases: [
    ['JWT_ISSUER', ''],
    ['JWT_AUDIENCE', undefined],
    ['ENVIRONMENT', ''],
    ['EVENT_RETENTION_DAYS', 'a week'],
    ['MAX_BODY_BYTES', '0'],
  ],
})
