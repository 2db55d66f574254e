import { Hono } from 'hono'
import { problem } from '../errors/problem'
import { injectFault, type FaultBindings } from '../faults/faults'

/** What one sweep did, as counts by name (`{ sent: 3, failed: 0 }`): logged by the gateway. */
export type SweepReport = Record<string, number>

/** A Worker's periodic work: what its own cron trigger used to run (see `workers/<name>/src/events/sweep.ts`). */
export type Sweep<B> = (env: B) => Promise<SweepReport>

/**
 * `POST /internal/sweep`: the gateway's one cron trigger asks every service for its periodic
 * work over the service binding, so an environment needs one trigger, not one per Worker. It
 * sits behind the gateway credential like every internal route. An injected fault fails it as
 * it fails the service's API: a broken service does not sweep either.
 */
export function sweepRoutes<E extends { Bindings: FaultBindings }>(sweep: Sweep<E['Bindings']>): Hono<E> {
  const routes = new Hono<E>()
  routes.post('/internal/sweep', async (c) => {
    if (await injectFault(c.env)) return problem(c, { code: 'internal_error', detail: 'Injected fault.' })
    return c.json(await sweep(c.env))
  })
  return routes
}
