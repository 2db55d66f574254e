import type { Context } from 'hono'
import type { GatewayEnv } from './services'

/** Keeps a promise's work alive after the response (ExecutionContext.waitUntil). */
export type Defer = (work: Promise<unknown>) => void

/** Work that runs on after the response, in this execution context (there is none in some unit setups: it just runs). */
export function deferTo(ctx: Pick<ExecutionContext, 'waitUntil'> | undefined): Defer {
  return (work) => {
    try {
      ctx!.waitUntil(work)
    } catch {
      void work
    }
  }
}

/** Work that runs on after the response: outcome reports, breaker refreshes, lease refills (there is no context in some unit setups). */
export function deferFor(c: Context<GatewayEnv>): Defer {
  return (work) => {
    let ctx: Pick<ExecutionContext, 'waitUntil'> | undefined
    try {
      ctx = c.executionCtx
    } catch {
      ctx = undefined
    }
    deferTo(ctx)(work)
  }
}
