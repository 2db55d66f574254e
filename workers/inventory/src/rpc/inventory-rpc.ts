import { WorkerEntrypoint } from 'cloudflare:workers'
import type { z } from 'zod'
import type { Result } from '../../../../shared-contracts/errors'
import {
  GetProductsRequestSchema,
  ReservationChangeRequestSchema,
  ReserveRequestSchema,
  type GetProductsRequest,
  type InventoryRpcApi,
  type Product,
  type Reservation,
  type ReservationChange,
  type ReservationChangeRequest,
  type ReserveRequest,
} from '../../../../shared-contracts/inventory'
import { relayOutbox } from '../../../../platform/events/outbox'
import { injectedRpcFault } from '../../../../platform/faults/faults'
import { validate } from '../../../../platform/http/json-body'
import { createRpcGuard, type RpcCaller } from '../../../../platform/rpc/guard'
import { createLogger } from '../../../../platform/telemetry/log'
import { withRequestContext } from '../../../../platform/telemetry/request-context'
import type { Env } from '../env'
import { createServices, type InventoryServices } from '../services'

const verifyCaller = createRpcGuard('inventory')
/** Only the order saga reserves, releases and commits stock. */
const CALLERS = ['orders'] as const

interface Call<S extends z.ZodType, T> {
  schema: S
  run: (services: InventoryServices, caller: RpcCaller, input: z.output<S>) => Promise<Result<T>>
  /**
   * A write: once it succeeds, the product cache is invalidated (every write changes `available`,
   * which the public product shows) and the outbox is relayed, as HTTP writes do.
   */
  writes: boolean
}

const logger = createLogger('inventory')
const log = (message: string, fields: Record<string, unknown>) => logger.error(message, fields)

/**
 * Checks the caller, validates the input, runs: every method goes through here. A function,
 * not a method, because RPC exposes every method of the entrypoint.
 */
async function handle<S extends z.ZodType, T>(
  env: Env,
  ctx: ExecutionContext,
  credential: unknown,
  input: unknown,
  call: Call<S, T>,
): Promise<Result<T>> {
  const caller = await verifyCaller(env, credential, CALLERS)
  if (!caller.ok) return caller
  const fault = await injectedRpcFault(env)
  if (fault) return fault
  const parsed = validate(call.schema, input)
  if (!parsed.ok) return parsed
  let result: Result<T>
  const services = createServices(env)
  try {
    // The caller's request id is this call's too: every log line of the call carries it.
    result = await withRequestContext({ requestId: caller.value.requestId }, () => call.run(services, caller.value, parsed.value))
  } catch (error) {
    // Thrown on to the caller, which sees a failed call it may retry with the same key.
    log('rpc call failed', { request_id: caller.value.requestId, error })
    throw error
  }
  if (call.writes && result.ok) {
    ctx.waitUntil(relayOutbox(env.DB, env).catch((error: unknown) => log('outbox relay failed', { error })))
    // Before the answer, so that a read after it sees the change; a failure is only logged:
    // the event the call published bumps the generation too.
    await services.reads.changed().catch((error: unknown) => log('cache invalidation failed', { error }))
  }
  return result
}

/**
 * Stock operations for the order saga (issue 4), over a service binding's RPC. Each method
 * takes the caller's service credential first and answers a Result; each write is idempotent
 * by the caller's `key`.
 */
export class InventoryRpc extends WorkerEntrypoint<Env> implements InventoryRpcApi {
  async reserve(credential: string, input: ReserveRequest): Promise<Result<Reservation>> {
    return handle(this.env, this.ctx, credential, input, {
      schema: ReserveRequestSchema,
      run: (services, caller, value) => services.reservations.reserve(caller.service, value),
      writes: true,
    })
  }

  async release(credential: string, input: ReservationChangeRequest): Promise<Result<ReservationChange>> {
    return handle(this.env, this.ctx, credential, input, {
      schema: ReservationChangeRequestSchema,
      run: (services, caller, value) => services.reservations.release(caller.service, value),
      writes: true,
    })
  }

  async commit(credential: string, input: ReservationChangeRequest): Promise<Result<ReservationChange>> {
    return handle(this.env, this.ctx, credential, input, {
      schema: ReservationChangeRequestSchema,
      run: (services, caller, value) => services.reservations.commit(caller.service, value),
      writes: true,
    })
  }

  async getProducts(credential: string, input: GetProductsRequest): Promise<Result<{ items: Product[] }>> {
    return handle(this.env, this.ctx, credential, input, {
      schema: GetProductsRequestSchema,
      run: async (services, _caller, value) => ({ ok: true, value: { items: await services.catalog.getMany(value.ids) } }),
      writes: false,
    })
  }
}
