import { describeBadConfig } from '../../../test/support/bad-config'
import worker from './index'

describeBadConfig({
  worker,
  origin: 'https://api.example',
  paths: ['/health', '/api/v1/products', '/api/v1/users/me', '/no/such/route'],
  cases: [
    ['JWT_ISSUER', ''],
    ['JWT_AUDIENCE', undefined],
    ['ENVIRONMENT', undefined],
    ['RATE_LIMIT_AUTH', 'ten a minute'],
    ['GATEWAY_CACHE', 'maybe'],
    ['RESILIENCE', 'disabled'],
    ['UPSTREAM_TIMEOUT_MS', '0'],
    ['RATE_LIMIT_TIMEOUT_MS', 'a second'],
    ['CIRCUIT_BREAKER_OPEN_MS', '-5'],
    ['CORS_ALLOWED_ORIGINS', 42 as unknown as string],
  ],
  scheduled: true,
})
