import { asGateway, describeBadConfig } from '../../../test/support/bad-config'
import worker from './index'

describeBadConfig({
  worker,
  ...asGateway('inventory'),
  paths: ['/health', '/api/v1/products'],
  cases: [
    ['CACHE_LEVELS', 'l1'],
    ['CACHE_L2_TTL_S', '30'],
  ],
})
