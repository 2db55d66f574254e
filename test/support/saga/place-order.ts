import type { Order, PlaceOrderSagaInput } from '../../../shared-contracts/orders'
import { setPointFault, type PointFault } from '../../../platform/faults/fault-points'
import { isErased } from '../../../platform/privacy/erasures'
import { sagaFaultPoint } from '../../../durable-objects/saga-coordinator/saga-coordinator'
import { createIdempotencyRepo } from '../../../workers/orders/src/repo/idempotency-repo'
import { createOrdersRepo } from '../../../workers/orders/src/repo/orders-repo'
import { rpcCredential } from '../../../workers/orders/src/rpc/credentials'
import { PLACE_ORDER_STEP_NAMES } from '../../../workers/orders/src/saga/place-order'
import { createOrdersService } from '../../../workers/orders/src/service/orders-service'
import { newUserId, shardOfOrder, shardOfUser, testEnv } from '../orders'

/** Places an order through the real service (priced by the real inventory) without starting its saga. */
export async function pendingOrder(
  items: { product_id: string; quantity: number }[],
  paymentToken: string,
  userId = newUserId(),
): Promise<PlaceOrderSagaInput> {
  let input: PlaceOrderSagaInput | null = null
  const db = shardOfUser(userId)
  const service = createOrdersService({
    orders: createOrdersRepo(db),
    idempotency: createIdempotencyRepo(db),
    products: async (ids) => {
      const result = await testEnv.INVENTORY.getProducts(await rpcCredential(testEnv, 'inventory', 'test'), { ids })
      return result.ok ? { ok: true, value: result.value.items } : result
    },
    startSaga: async (saga) => {
      input = saga
    },
    stepNames: PLACE_ORDER_STEP_NAMES,
    isErased: (id) => isErased(db, id),
    now: () => new Date(),
  })
  const placed = await service.place(userId, crypto.randomUUID(), { items, payment_token: paymentToken })
  if (!placed.ok) throw new Error(`placing failed: ${JSON.stringify(placed.error)}`)
  return input!
}

/**
 * Breaks calls of that order's saga through fault injection (the coordinator runs in the test's
 * isolate, where the orders Worker has FAULT_INJECTION enabled): by step name, `compensate:<name>`
 * or `finalize`. `error` fails every attempt of the call (transiently, as a broken connection);
 * `lost_answer` makes each attempt for real, then loses its answer.
 */
export function injectFaults(orderId: string, faults: Record<string, PointFault>): void {
  for (const [call, fault] of Object.entries(faults)) setPointFault(sagaFaultPoint(orderId, call), fault)
}

/** Lifts the faults of these calls of that order's saga. */
export function liftFaults(orderId: string, calls: string[]): void {
  for (const call of calls) setPointFault(sagaFaultPoint(orderId, call), null)
}

export async function orderRow(id: string): Promise<Order & { version: number }> {
  const order = await createOrdersRepo(await shardOfOrder(id)).find(id)
  if (!order) throw new Error(`no order ${id}`)
  return order
}
