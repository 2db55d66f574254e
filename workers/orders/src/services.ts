import type { MiddlewareHandler } from 'hono'
import { fail, ok } from '../../../shared-contracts/errors'
import { sagaClient } from '../../../durable-objects/saga-coordinator/client'
import type { Env } from './env'
import { createIdempotencyRepo } from './repo/idempotency-repo'
import { createOrdersRepo } from './repo/orders-repo'
import { createSagasRepo } from './repo/sagas-repo'
import { createViewsRepo } from './repo/views-repo'
import { rpcCredential } from './rpc/credentials'
import { createOrdersService } from './service/orders-service'
import { createQueriesService } from './service/queries-service'
import { PLACE_ORDER_STEP_NAMES } from './saga/place-order'
import { failedInObject } from '../../../platform/resilience/object-errors'
import { retryTransient } from '../../../platform/resilience/retry-transient'
import { createLogger } from '../../../platform/telemetry/log'
import { isErased } from '../../../platform/privacy/erasures'
import { shardFor, shardsOf } from '../../../platform/db/shards'
import { handOver, takeBack } from '../../../platform/events/written-events'
import { atFaultPoint } from '../../../platform/faults/fault-points'
import type { Caller } from '../../../platform/auth/internal-credential'
import type { OrdersConfig } from './config'
import type { SagaClient } from '../../../durable-objects/saga-coordinator/client'
import type { OrdersService } from './service/orders-service'
import type { QueriesService } from './service/queries-service'

/** Pricing waits at most ~150 ms more on a flaky catalog before answering 503. */
const PRICING_RETRY = { attempts: 3, baseMs: 25, capMs: 100 }

/** The fault point of the calls that start a user's sagas (platform/faults/fault-points.ts): local development and tests only. */
export const sagaStartFaultPoint = (userId: string) => `saga-start:${userId}`

const logger = createLogger('orders')
const log = (message: string, fields: Record<string, unknown>) => logger.error(message, fields)

/**
 * The services of one request, on the shard of the caller's user (docs/adr/0067): every route
 * but the admin's acts on the caller's own orders. The admin's saga list reads every shard.
 */
export function createServices(env: Env, requestId: string, userId: string | null) {
  const sagas = sagaClient(env.SAGAS)
  // Without a principal no route reaches the caller's data (requirePrincipal): shard 0 stands in.
  const db = userId === null ? env.DB : shardFor(env, userId)
  return {
    orders: createOrdersService({
      orders: createOrdersRepo(db),
      idempotency: createIdempotencyRepo(db),
      isErased: (id) => isErased(db, id),
      products: async (ids) => {
        // The catalog is a dependency: a read, so transient failures are retried at once;
        // whatever still goes wrong reaching it is a 503 `dependency_unavailable`: orders itself is
        // healthy, so the gateway does not charge the answer to orders' circuit breaker.
        try {
          const result = await retryTransient(
            async () => env.INVENTORY.getProducts(await rpcCredential(env, 'inventory', requestId), { ids }),
            PRICING_RETRY,
          )
          if (result.ok) return ok(result.value.items)
          log('pricing failed', { request_id: requestId, code: result.error.code })
        } catch (error) {
          log('pricing failed', { request_id: requestId, error })
        }
        return fail({
          code: 'dependency_unavailable',
          detail: 'The catalog (inventory) could not be reached; retry with the same Idempotency-Key.',
        })
      },
      startSaga: async (input, options) => {
        // A fresh saga's order and its event were just written here: its first relay sends the
        // event with its own, one send and one mark for both (docs/adr/0073). A start that fails
        // gives them back to the relay after this request.
        const events = options?.fresh ? (handOver(db) ?? []) : undefined
        try {
          await atFaultPoint(env, sagaStartFaultPoint(input.user_id), () => sagas.start(input, events ? { ...options, events } : options))
        } catch (error) {
          if (events) takeBack(db, events)
          if (failedInObject(error)) throw error
          // Failed on the way to the coordinator: the order is recorded and stays accepted; the
          // saga sweep starts a saga whose start was lost (docs/adr/0075).
          log('saga start failed; the sweep starts it', { request_id: requestId, order_id: input.order_id, error })
        }
      },
      stepNames: PLACE_ORDER_STEP_NAMES,
      now: () => new Date(),
    }),
    queries: createQueriesService({ views: createViewsRepo(db), sagas: createSagasRepo(db), allSagas: shardsOf(env).map(createSagasRepo) }),
    sagas,
  }
}

/** Builds the services a request needs, once, and sets them on the context. */
export function services(): MiddlewareHandler<OrdersEnv> {
  return async function services(c, next) {
    c.set('services', createServices(c.env, c.var.requestId, c.var.caller.principal?.id ?? null))
    await next()
  }
}

/** The Hono env of this Worker's app: its bindings, and what its middleware sets on the context. */
export interface OrdersEnv {
  Bindings: Env
  Variables: {
    requestId: string
    caller: Caller
    config: OrdersConfig
    services: { orders: OrdersService; queries: QueriesService; sagas: SagaClient }
  }
}
