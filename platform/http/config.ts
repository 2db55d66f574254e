import type { MiddlewareHandler } from 'hono'
import type { ConfigOf } from '../env/config'

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
