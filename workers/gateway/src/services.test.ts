import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { gatewayConfig } from './config'
import type { Env } from './env'
import { NO_GATEWAY_CACHE } from './gateway-cache/gateway-cache'
import { Limiter } from './middleware/rate-limit'
import { gatewayServices } from './services'

const gatewayEnv = env as unknown as Env
const withVars = (vars: Record<string, string>) => ({ ...gatewayEnv, ...vars }) as Env

describe("the gateway's services per configuration", () => {
  it('keeps its services while the configuration that shapes them stays', () => {
    const services = gatewayServices(withVars({ GATEWAY_CACHE: 'on' }))
    expect(gatewayServices(withVars({ GATEWAY_CACHE: 'on', LOG_SAMPLE_RATE: '0.5' }))).toBe(services)
  })

  it('builds a new gateway cache when GATEWAY_CACHE or its bounds change', () => {
    const on = gatewayServices(withVars({ GATEWAY_CACHE: 'on' }))
    expect(on.gatewayCache).not.toBe(NO_GATEWAY_CACHE)
    const off = gatewayServices(withVars({ GATEWAY_CACHE: 'off' }))
    expect(off.gatewayCache).toBe(NO_GATEWAY_CACHE)
    const smaller = gatewayServices(withVars({ GATEWAY_CACHE: 'on', GATEWAY_CACHE_MAX_ENTRIES: '7' }))
    expect(smaller.gatewayCache).not.toBe(NO_GATEWAY_CACHE)
    expect(smaller.gatewayCache).not.toBe(on.gatewayCache)
  })
})

describe("the gateway's rate limit policies", () => {
  it('are parsed once, by the config: the limiter takes the parsed policies as they are', () => {
    const config = gatewayConfig(withVars({ RATE_LIMIT_ANONYMOUS: '7/30' }))
    const limiter = new Limiter(config.rateLimits)
    expect(limiter.policies).toBe(config.rateLimits.policies)
    expect(limiter.policies.anonymous).toMatchObject({ limit: 7, windowSeconds: 30, header: '"anonymous";q=7;w=30' })
  })
})
