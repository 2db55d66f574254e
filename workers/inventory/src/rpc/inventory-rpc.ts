import { WorkerEntrypoint } from 'cloudflare:workers'
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
import { rpcMethods } from '../../../../platform/rpc/method'
import type { Env } from '../env'
import { createServices } from '../services'

const rpcMethod = rpcMethods({
  service: 'inventory',
  /** Only the order saga reserves, releases and commits stock. */
  callers: ['orders'],
  // A reservation or a release changes `available`, which the public product shows: its batch
  // bumped the products' stamps and read the products back, and the service hands those to the
  // reads (`reads.wrote`), so that a read after the answer sees the change.
  services: (env: Env) => createServices(env),
})

/**
 * Stock operations for the order saga (issue 4), over a service binding's RPC. Each method
 * takes the caller's service credential first and answers a Result; each write is idempotent
 * by the caller's `key`.
 */
export class InventoryRpc extends WorkerEntrypoint<Env> implements InventoryRpcApi {
  async reserve(credential: string, input: ReserveRequest): Promise<Result<Reservation>> {
    return rpcMethod(this.env, this.ctx, credential, input, {
      schema: ReserveRequestSchema,
      run: (services, caller, value) => services.reservations.reserve(caller.service, value),
      writes: true,
      answered: (services, reservation) => services.reads.refill(reservation.items.map((item) => item.product_id)),
    })
  }

  async release(credential: string, input: ReservationChangeRequest): Promise<Result<ReservationChange>> {
    return rpcMethod(this.env, this.ctx, credential, input, {
      schema: ReservationChangeRequestSchema,
      run: (services, caller, value) => services.reservations.release(caller.service, value),
      writes: true,
      answered: (services, change) => services.reads.refill(change.items.map((item) => item.product_id)),
    })
  }

  async commit(credential: string, input: ReservationChangeRequest): Promise<Result<ReservationChange>> {
    return rpcMethod(this.env, this.ctx, credential, input, {
      schema: ReservationChangeRequestSchema,
      run: (services, caller, value) => services.reservations.commit(caller.service, value),
      writes: true,
    })
  }

  async getProducts(credential: string, input: GetProductsRequest): Promise<Result<{ items: Product[] }>> {
    return rpcMethod(this.env, this.ctx, credential, input, {
      schema: GetProductsRequestSchema,
      // Through the product cache: a price at most as old as the public catalogue's (docs/adr/0060);
      // the reservation records the prices it reserved at from D1.
      run: async (services, _caller, value) => ({ ok: true, value: { items: await services.reads.products(value.ids) } }),
      writes: false,
    })
  }
}
