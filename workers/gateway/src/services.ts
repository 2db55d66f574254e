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
import type { Env } from './env'
import type { Route } from '../../../shared-contracts/routes'
import type { Principal } from '../../../platform/auth/principal'
import type { RedMetrics } from '../../../platform/telemetry/metrics'
import type { RateLimitSubject } from './middleware/rate-limit-policy'
import type { Caller } from '../../../platform/auth/internal-credential'
import type { RateLimiterClient } from '../../../durable-objects/rate-limiter/client'
import type { Result } from '../../../shared-contracts/errors'
import type { GatewayCache } from './gateway-cache/gateway-cache'

export interface GatewayServices {
  /** The Worker behind each service name: the gateway's service registry. */
  binding(service: ServiceName): Fetcher
  /** The credential for a forwarded request: one signed credential is reused for a while (ADR 0002). */
  forwardCredential(service: ServiceName, caller: Caller): Promise<string>
  /** Verifies a bearer token, reusing successful verifications for up to a minute (auth/access-token.ts). */
  verifyToken(token: string): Promise<Result<Principal>>
  /** Calls a service's own (internal) route as the gateway, with a credential for `caller`. */
  call(service: ServiceName, path: string, options: InternalCallOptions): Promise<Response>
  /** The rate limiter Durable Objects, one per policy and key. */
  rateLimiter: RateLimiterClient
  /** This isolate's cache of anonymous public reads (./gateway-cache); one that is always bypassed (`NO_GATEWAY_CACHE`) when GATEWAY_CACHE is `off`. */
  gatewayCache: GatewayCache
}

export interface InternalCallOptions {
  caller: Caller
  method?: string
  /** Sent as JSON. */
  body?: unknown
  timeoutMs?: number
}

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

const sameCache = (a: GatewayConfig['gatewayCache'], b: GatewayConfig['gatewayCache']) =>
  a.enabled === b.enabled && a.maxEntries === b.maxEntries && a.maxBytes === b.maxBytes

/** Key imports and the caches are kept while the key, the token policy and the gateway cache's options stay (other vars may vary per request in tests). */
const sameServices = (a: GatewayConfig, b: GatewayConfig) =>
  a.privateKey === b.privateKey &&
  a.token.issuer === b.token.issuer &&
  a.token.audience === b.token.audience &&
  sameCache(a.gatewayCache, b.gatewayCache)

/** This isolate's services for this configuration: requests and the scheduled sweep share them. */
export function gatewayServices(env: Env, config: GatewayConfig = gatewayConfig(env)): GatewayServices {
  // The config is parsed once per env, so the same object is the common case.
  if (!isolate || (isolate.config !== config && !sameServices(isolate.config, config))) isolate = { config, services: build(env, config) }
  return isolate.services
}

/** Sets `c.var.services`; handlers never build clients themselves. */
export function services(): MiddlewareHandler<GatewayEnv> {
  return async function services(c, next) {
    c.set('services', gatewayServices(c.env, c.get('config')))
    await next()
  }
}

/** The Hono env of this Worker's app: its bindings, and what its middleware sets on the context. */
export interface GatewayEnv {
  Bindings: Env
  Variables: {
    requestId: string
    config: GatewayConfig
    services: GatewayServices
    principal: Principal | null
    route: Route
    metrics: RedMetrics
    /** The quota the rate limiter took this request's unit from, once it has. */
    rateLimited?: RateLimitSubject
    /** Set once the request was handed to its service: its answer is the service's, not a refusal. */
    forwarded?: boolean
  }
}
