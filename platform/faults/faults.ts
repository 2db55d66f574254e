import { Hono, type MiddlewareHandler } from 'hono'
import { fail, type Result } from '../../shared-contracts/errors'
import { FaultConfigSchema, type FaultConfig } from '../../shared-contracts/faults'
import type { Caller } from '../auth/internal-credential'
import { problem } from '../errors/problem'
import { readJson } from '../http/json-body'

export interface FaultBindings {
  /** `enabled` only in local development (the generated .dev.vars); absent everywhere else. */
  FAULT_INJECTION?: string
}

const NO_FAULT: FaultConfig = { mode: 'none', rate: 0 }

/**
 * The fault a service currently injects. Per isolate on purpose: fault injection is a local
 * development tool, and under `wrangler dev` each Worker runs in one isolate.
 */
let current: FaultConfig = NO_FAULT

const enabled = (env: FaultBindings) => env.FAULT_INJECTION === 'enabled'

/** Sets this isolate's fault (the PUT route, and tests). */
export function setFault(config: FaultConfig): void {
  current = config
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Applies the configured fault to one call: true when the call must fail (transiently). */
export async function injectFault(env: FaultBindings, random: () => number = Math.random): Promise<boolean> {
  if (!enabled(env) || current.mode === 'none' || random() >= current.rate) return false
  switch (current.mode) {
    case 'latency':
      await sleep(current.latency_ms ?? 1_000)
      return false
    case 'timeout':
      await sleep(current.latency_ms ?? 30_000)
      return true
    case 'error':
      return true
  }
}

/** The RPC form: a Result a saga treats as transient. */
export async function injectedRpcFault(env: FaultBindings): Promise<Result<never> | null> {
  return (await injectFault(env)) ? fail({ code: 'service_unavailable', detail: 'Injected fault.' }) : null
}

/** Injects the configured fault into a service's API routes (never into /internal, /health or /ready). */
export function faultInjection(): MiddlewareHandler<{ Bindings: FaultBindings }> {
  return async function faultInjection(c, next) {
    const path = c.req.path
    const exempt = path.startsWith('/internal/') || path === '/health' || path === '/ready'
    if (!exempt && (await injectFault(c.env))) return problem(c, { code: 'internal_error', detail: 'Injected fault.' })
    await next()
  }
}

/** `PUT /internal/faults` (admin, through the gateway): sets this service's fault. 404 where disabled. */
export function faultRoutes(): Hono<{ Bindings: FaultBindings; Variables: { caller: Caller; requestId: string } }> {
  const routes = new Hono<{ Bindings: FaultBindings; Variables: { caller: Caller; requestId: string } }>()
  routes.put('/internal/faults', async (c) => {
    if (!enabled(c.env)) return problem(c, { code: 'not_found' })
    if (!c.var.caller.principal?.roles.includes('admin')) return problem(c, { code: 'forbidden' })
    const config = await readJson(c, FaultConfigSchema)
    if (!config.ok) return problem(c, config.error)
    setFault(config.value)
    return c.json(config.value)
  })
  return routes
}
