import type { MiddlewareHandler } from 'hono'
import { ConfigError, type ConfigOf } from '../env/config'
import { createLogger } from '../telemetry/log'

/**
 * Sets `c.var.config`: the Worker's vars, parsed once per configuration (../env/config.ts). A bad
 * var throws here, before anything else runs, so every request answers 500 `internal_error` and
 * the log line names the var (./errors.ts).
 */
export function useConfig<C>(configOf: ConfigOf<C>): MiddlewareHandler<{ Variables: { config: C } }> {
  return async function config(c, next) {
    c.set('config', configOf(c.env as object))
    await next()
  }
}

/**
 * The config at start-up (module scope, the Worker's own `env` from `cloudflare:workers`), for
 * what is built once per isolate. A bad var is logged here and `null` returned: the Worker still
 * starts, and every request answers 500 through `useConfig`, rather than failing to load at all.
 */
export function configAtStartup<C>(configOf: ConfigOf<C>, env: object, service: string): C | null {
  try {
    return configOf(env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    createLogger(service).error('bad configuration', { problems: error.problems })
    return null
  }
}
