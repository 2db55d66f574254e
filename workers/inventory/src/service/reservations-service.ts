import { fail, ok, type AppError, type Result } from '../../../../shared-contracts/errors'
import type {
  Product,
  Reservation,
  ReservationChange,
  ReservationChangeRequest,
  ReserveRequest,
} from '../../../../shared-contracts/inventory'
import type { ProductsRepo } from '../repo/products-repo'
import type { RequestsRepo } from '../repo/requests-repo'
import type { Fresh, ReservationsRepo } from '../repo/reservations-repo'
import type { StockRepo } from '../repo/stock-repo'
import { fingerprint, replay } from './idempotency'
import type { ReservationMemory } from './reservation-memory'
import { decide, type ReservationOperation } from './reservation-state'
import { findShortfall, outOfStock } from './shortfall'

export interface ReservationsDeps {
  reservations: ReservationsRepo
  requests: RequestsRepo
  products: ProductsRepo
  stock: StockRepo
  /** The products `ids` if this isolate's product cache holds them all (at most a second old), else null. */
  cached: (ids: readonly string[]) => Promise<Product[] | null>
  /** Told that a cached price was out of date: the cache asks for its stamps again. */
  stale: () => void
  memory: ReservationMemory
  now: () => Date
  /** Told the products as a reservation or release left them (the product cache's refill takes them). */
  wrote: (fresh: Fresh[]) => void
}

export type ReservationsService = ReturnType<typeof createReservationsService>

/** A batch that lost a race is tried again after a fresh look; races are rare and settle at once. */
const MAX_ATTEMPTS = 5
const newReservationId = () => `rsv_${crypto.randomUUID().replaceAll('-', '')}`
/** Not remembered: the caller retries with the same key and gets a real answer. */
const contended = fail({
  code: 'service_unavailable' as const,
  detail: 'The reservation kept changing under this call; retry with the same key.',
})

export function createReservationsService(deps: ReservationsDeps) {
  /** Binds the call's key to its request, and remembers outcomes that change nothing. */
  async function keyed<T>(caller: string, key: string, operation: string, request: unknown) {
    const print = await fingerprint(operation, request)
    const record = (result: Result<T>) => ({ caller, key, operation, fingerprint: print, result })
    return {
      record,
      replayed: async (): Promise<Result<T> | null> => {
        const stored = await deps.requests.find(caller, key)
        return stored ? replay<T>(stored, operation, print) : null
      },
      remember: async (result: Result<T>): Promise<Result<T>> => {
        const stored = await deps.requests.remember(record(result), deps.now())
        return replay<T>(stored, operation, print)
      },
    }
  }

  /**
   * The catalog entries of `ids`: from the product cache when `fromCache` and it holds them all
   * (the reservation's batch checks each price where it writes it), else from the database in
   * one select.
   */
  async function catalogOf(ids: readonly string[], fromCache: boolean): Promise<Map<string, Product>> {
    const cached = fromCache ? await deps.cached(ids) : null
    if (cached) return new Map(cached.map((product) => [product.id, product]))
    return new Map((await deps.products.findMany(ids)).map((product) => [product.id, product]))
  }

  /**
   * The first attempt goes straight to the write: a new key and a new order are the common case,
   * and the batch's unique constraints catch a key or an order seen before (`duplicate`), after
   * which each attempt looks them up first. An outcome remembered without a write answers what
   * the key already holds (`remember`), so the lookups are not needed for those either. It is
   * priced from the product cache; a price that changed meanwhile fails the batch (`repriced`),
   * and the next attempt prices from the database.
   */
  async function reserve(caller: string, input: ReserveRequest): Promise<Result<Reservation>> {
    const items = [...input.items].sort((a, b) => a.product_id.localeCompare(b.product_id))
    const call = await keyed<Reservation>(caller, input.key, 'reserve', { order_id: input.order_id, items })
    const ids = input.items.map((item) => item.product_id)
    let fromCache = true
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        const replayed = await call.replayed()
        if (replayed) return replayed
        const existing = await deps.reservations.find(input.order_id)
        if (existing) return call.remember(fail({ code: 'conflict', detail: `The order has a reservation already (${existing.status}).` }))
      }
      const catalog = await catalogOf(ids, fromCache)
      const missing = input.items.findIndex((item) => !catalog.has(item.product_id))
      if (missing >= 0) return call.remember(fail(unknownProduct(ids[missing]!, missing)))

      const reservation: Reservation = {
        reservation_id: newReservationId(),
        items: input.items.map(({ product_id, quantity }) => {
          const { price_cents, currency } = catalog.get(product_id)!
          return { product_id, quantity, unit_price_cents: price_cents, currency }
        }),
      }
      const outcome = await deps.reservations.reserve(
        {
          orderId: input.order_id,
          reservationId: reservation.reservation_id,
          items: reservation.items,
          request: call.record(ok(reservation)),
        },
        deps.now(),
      )
      if (outcome.kind === 'reserved') {
        deps.wrote(outcome.fresh)
        deps.memory.remember(input.order_id, { reservationId: reservation.reservation_id, status: 'reserved', items: reservation.items })
        return ok(reservation)
      }
      if (outcome.kind === 'repriced') {
        fromCache = false
        deps.stale()
      }
      if (outcome.kind === 'short') {
        const shortfall = findShortfall(input.items, await deps.stock.levelsOf(ids))
        if (shortfall) return call.remember(fail(outOfStock(shortfall)))
      }
      // A duplicate (the same key, or the same order, earlier or concurrently) or stock freed meanwhile: look again.
    }
    return contended
  }

  async function change(
    caller: string,
    operation: ReservationOperation,
    input: ReservationChangeRequest,
  ): Promise<Result<ReservationChange>> {
    const call = await keyed<ReservationChange>(caller, input.key, operation, { order_id: input.order_id })
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // As in `reserve`: the first attempt trusts the write's constraints to catch a key seen
      // before, and a reservation this isolate made to be what it was (its batch checks that).
      if (attempt > 0) {
        const replayed = await call.replayed()
        if (replayed) return replayed
      }
      const current = (attempt === 0 ? deps.memory.take(input.order_id) : null) ?? (await deps.reservations.find(input.order_id))
      const decision = decide(current?.status ?? null, operation)
      switch (decision.kind) {
        case 'fail':
          return call.remember(fail(decision.error))
        case 'noop':
          return call.remember(ok({ order_id: input.order_id, status: decision.status, items: [] }))
        case 'release_unreserved': {
          const result = ok({ order_id: input.order_id, status: 'released' as const, items: [] })
          const done = await deps.reservations.releaseUnreserved(input.order_id, newReservationId(), call.record(result), deps.now())
          if (done) return result
          break
        }
        case 'apply': {
          const items = current!.items.map(({ product_id, quantity }) => ({ product_id, quantity }))
          const result = ok({ order_id: input.order_id, status: decision.to, items })
          const fresh = await deps.reservations.transition(input.order_id, decision.to, current!.items, call.record(result), deps.now())
          if (fresh) {
            deps.wrote(fresh)
            return result
          }
          break
        }
      }
      // Another call moved the reservation meanwhile: decide again on what it left.
    }
    return contended
  }

  return {
    /** Reserves all items or none, priced from the catalog; the same key answers the same result. */
    reserve,
    /** Gives reserved stock back; nothing reserved, or released already, is a no-op success. */
    release: (caller: string, input: ReservationChangeRequest) => change(caller, 'release', input),
    /** Turns reserved stock into a decrease of the stock on hand; twice is a no-op. */
    commit: (caller: string, input: ReservationChangeRequest) => change(caller, 'commit', input),
  }
}

function unknownProduct(productId: string, index: number): AppError {
  const message = `no product ${productId}`
  return { code: 'not_found', detail: `No product ${productId}.`, errors: [{ path: `items.${index}.product_id`, message }] }
}
