import { describeBadConfig } from '../../../test/support/bad-config'
import { serviceClient } from '../../../test/support/service-client'
import { CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import worker from './index'

const client = serviceClient('users')

describeBadConfig({
  worker,
  origin: 'https://users.internal',
  paths: ['/health', '/.well-known/jwks.json', '/no/such/route'],
  headers: async () => ({ [CREDENTIAL_HEADER]: await client.gatewayCredential() }),
  cases: [
    ['JWT_ISSUER', ''],
    ['JWT_AUDIENCE', undefined],
    ['ENVIRONMENT', ''],
    ['EVENT_RETENTION_DAYS', 'a week'],
    ['MAX_BODY_BYTES', '0'],
  ],
})
