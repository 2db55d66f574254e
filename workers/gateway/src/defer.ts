import type { Context } from 'hono'
import type { GatewayEnv } from './services'

/** Keeps a promise's work alive after the response (ExecutionContext.waitUntil). */
export type Defer = (work: Promise<unknown>) => void

/** Work that runs on after the response: outcome reports, breaker refreshes, lease refills (there is no context in some unit setups). */
export function deferFor(c: Context<GatewayEnv>): Defer {
  return (work) => {
    try {
      c.executionCtx.waitUntil(work)
    } catch {
      void work
    }
  }
}
