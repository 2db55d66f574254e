import type { MiddlewareHandler } from 'hono'
import { shardsOf } from '../db/shards'
import { createLogger } from '../telemetry/log'
import { relayOutbox } from './outbox'
import { handedOver, recordingEnv, wroteEvents } from './written-events'

/**
 * After a successful write (any 2xx to a non-GET request), relays the outbox once the response
 * has gone (`waitUntil`): events leave at once in the common case, and the scheduled sweep
 * (`drainOutbox`) sends whatever this could not. The handlers after this middleware see an env
 * whose D1 databases record the outbox rows they write (./written-events.ts): the relay sends
 * those and marks them in one statement, on each database (each shard, ../db/shards.ts) that
 * recorded some. A write that recorded none (services built from the env before this middleware
 * ran, say) is relayed as before, pending rows claimed and then sent, on the Worker's first
 * database only (`DB`): a claim on every shard for every such write would cost each shard a
 * statement for rows that are almost never there, and the sweep sends any that are. Work that
 * handed its rows to another (`handOver`: a placement, to the saga it starts) is not relayed here.
 */
export function relayAfterResponse<E extends { Bindings: object }>(service: string): MiddlewareHandler<E> {
  const log = createLogger(service)
  return async function relayAfterResponse(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    const plain = c.env
    c.env = recordingEnv(plain)
    await next()
    const recorders = shardsOf(c.env)
    const wrote = recorders.map((recorder) => wroteEvents(recorder))
    // The work handed what it wrote to another that relays it (a saga it started): nothing here.
    if (!wrote.includes(true) && recorders.some(handedOver)) return
    // A refusal relays only what it wrote itself (its rows are claimed: the sweep would wait out the claim).
    if (c.res.status >= 300 && !wrote.includes(true)) return
    const databases = wrote.includes(true) ? recorders.filter((_, index) => wrote[index]) : shardsOf(plain).slice(0, 1)
    c.executionCtx.waitUntil(
      Promise.all(databases.map((db) => relayOutbox(db, plain))).catch((error: unknown) => {
        log.error('outbox relay failed', { error })
      }),
    )
  }
}
