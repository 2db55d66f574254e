import type { MiddlewareHandler } from 'hono'
import type { JSONWebKeySet } from 'jose'
import { createCredentialSigner, CREDENTIAL_HEADER, reuseCredentials } from '../../../platform/auth/internal-credential'
import { REQUEST_ID_HEADER } from '../../../platform/http/request-id'
import type { ServiceName } from '../../../shared-contracts/routes'
import { rateLimiterClient } from '../../../durable-objects/rate-limiter/client'
import { createJwksCache } from './auth/jwks-cache'
import { gatewayCacheFrom } from './gateway-cache/gateway-cache'
import { gatewayConfig, type GatewayConfig } from './config'
import { createAccessTokenVerifier, type AccessTokenPolicy } from './auth/access-token'
import type { Env, GatewayEnv } from './env'
import type { GatewayServices, InternalCallOptions } from './gateway-services'

export type { GatewayServices, InternalCallOptions } from './gateway-services'

const DEFAULT_INTERNAL_TIMEOUT_MS = 5_000

const JWKS_MAX_AGE_MS = 10 * 60_000
const JWKS_COOLDOWN_MS = 30_000

/** Per-isolate state: key imports, the JWKS cache, the credential, token and read caches outlive a request. */
let isolate: { config: GatewayConfig; services: GatewayServices } | null = null

function build(env: Env, config: GatewayConfig): GatewayServices {
  const sign = createCredentialSigner(config.privateKey)
  const bindings: Record<ServiceName, Fetcher> = {
    users: env.USERS,
    inventory: env.INVENTORY,
    payments: env.PAYMENTS,
    notifications: env.NOTIFICATIONS,
    orders: env.ORDERS,
  }
  const binding = (service: ServiceName) => bindings[service]
  async function call(
    service: ServiceName,
    path: string,
    { caller, method = 'GET', body, timeoutMs = DEFAULT_INTERNAL_TIMEOUT_MS }: InternalCallOptions,
  ) {
    const headers: Record<string, string> = { [CREDENTIAL_HEADER]: await sign(service, caller), [REQUEST_ID_HEADER]: caller.requestId }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    return binding(service).fetch(`https://${service}.internal${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
  }
  const getKey = createJwksCache({
    maxAgeMs: JWKS_MAX_AGE_MS,
    cooldownMs: JWKS_COOLDOWN_MS,
    async load() {
      const response = await call('users', '/.well-known/jwks.json', { caller: { principal: null, requestId: crypto.randomUUID() } })
      if (!response.ok) throw new Error(`JWKS fetch failed with ${response.status}`)
      return (await response.json()) as JSONWebKeySet
    },
  })
  const tokenPolicy: AccessTokenPolicy = { ...config.token, getKey }
  return {
    binding,
    forwardCredential: reuseCredentials(sign),
    verifyToken: createAccessTokenVerifier(tokenPolicy),
    call,
    rateLimiter: rateLimiterClient(env.RATE_LIMITER),
    gatewayCache: gatewayCacheFrom(config.gatewayCache),
  }
}

/** This isolate's services for this configuration: requests and the scheduled sweep share them. */
export function gatewayServices(env: Env, config: GatewayConfig = gatewayConfig(env)): GatewayServices {
  if (isolate?.config !== config) isolate = { config, services: build(env, config) }
  return isolate.services
}

/** Sets `c.var.services`; handlers never build clients themselves. */
export function services(): MiddlewareHandler<GatewayEnv> {
  return async function services(c, next) {
    c.set('services', gatewayServices(c.env, c.var.config))
    await next()
  }
}
