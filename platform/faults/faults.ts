import { Hono, type MiddlewareHandler } from 'hono'
import { fail, type Result } from '../../shared-contracts/errors'
import { FaultConfigSchema, type FaultConfig } from '../../shared-contracts/faults'
import type { Caller } from '../auth/internal-credential'
import { problem } from '../errors/problem'
import { readJson } from '../http/json-body'

export interface FaultBindings {
  /** `enabled` only in local development (the generated .dev.vars); absent everywhere else. */
  FAULT_INJECTION?: string
  /** The service's own database: where its fault is kept, so a restart of local dev keeps it. */
  DB?: D1Database
}

const NO_FAULT: FaultConfig = { mode: 'none', rate: 0 }

/**
 * The fault a service currently injects: held in the isolate for every call, and kept in the
 * service's own D1 (table `dev_faults`, created by the first fault set, only where fault injection is enabled) so that a
 * restart of `wrangler dev` in the middle of a chaos run does not silently lift it. Null until
 * this isolate has read it back.
 */
let current: FaultConfig | null = null

const enabled = (env: FaultBindings) => env.FAULT_INJECTION === 'enabled'

const TABLE = 'CREATE TABLE IF NOT EXISTS dev_faults (id INTEGER PRIMARY KEY CHECK (id = 1), config TEXT NOT NULL)'

/** Sets this isolate's fault (tests of this module, which have no database). */
export function setFault(config: FaultConfig): void {
  current = config
}

/** Sets the service's fault and keeps it in its database (the PUT route). */
async function saveFault(env: FaultBindings, config: FaultConfig): Promise<void> {
  if (env.DB) {
    await env.DB.batch([
      env.DB.prepare(TABLE),
      env.DB.prepare('INSERT INTO dev_faults (id, config) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET config = excluded.config').bind(
        JSON.stringify(config),
      ),
    ])
  }
  current = config
}

/** The fault in force: this isolate's, or after a restart the one kept in the database (none if it never had one). */
async function currentFault(env: FaultBindings): Promise<FaultConfig> {
  if (current) return current
  if (!env.DB) return NO_FAULT
  // Read only: the table is created by the first PUT, so a service that never had a fault stores nothing.
  const kept = await env.DB.prepare('SELECT config FROM dev_faults WHERE id = 1')
    .first<{ config: string }>()
    .catch(() => null)
  const parsed = FaultConfigSchema.safeParse(kept ? JSON.parse(kept.config) : NO_FAULT)
  current = parsed.success ? parsed.data : NO_FAULT
  return current
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Applies the configured fault to one call: true when the call must fail (transiently). */
export async function injectFault(env: FaultBindings, random: () => number = Math.random): Promise<boolean> {
  if (!enabled(env)) return false
  const fault = await currentFault(env)
  if (fault.mode === 'none' || random() >= fault.rate) return false
  switch (fault.mode) {
    case 'latency':
      await sleep(fault.latency_ms ?? 1_000)
      return false
    case 'timeout':
      await sleep(fault.latency_ms ?? 30_000)
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
    await saveFault(c.env, config.value)
    return c.json(config.value)
  })
  return routes
}
