import { runInDurableObject } from 'cloudflare:test'
import type { Order } from '../../shared-contracts/orders'
import { isErased } from '../../platform/privacy/erasures'
import { createIdempotencyRepo } from '../../workers/orders/src/repo/idempotency-repo'
import { createOrdersRepo } from '../../workers/orders/src/repo/orders-repo'
import { rpcCredential } from '../../workers/orders/src/rpc/credentials'
import { createOrdersService, type PlaceOrderSagaInput } from '../../workers/orders/src/service/orders-service'
import { newUserId, sagaStub, testEnv } from '../../test/support/orders'
import type { Outcome } from './engine'
import type { SagaCoordinator } from './saga-coordinator'
import { PLACE_ORDER_STEP_NAMES } from './place-order'

/** Places an order through the real service (priced by the real inventory) without starting its saga. */
export async function pendingOrder(items: { product_id: string; quantity: number }[], paymentToken: string): Promise<PlaceOrderSagaInput> {
  let input: PlaceOrderSagaInput | null = null
  const service = createOrdersService({
    orders: createOrdersRepo(testEnv.DB),
    idempotency: createIdempotencyRepo(testEnv.DB),
    products: async (ids) => {
      const result = await testEnv.INVENTORY.getProducts(await rpcCredential(testEnv, 'inventory', 'test'), { ids })
      return result.ok ? { ok: true, value: result.value.items } : result
    },
    startSaga: async (saga) => {
      input = saga
    },
    stepNames: PLACE_ORDER_STEP_NAMES,
    isErased: (userId) => isErased(testEnv.DB, userId),
    now: () => new Date(),
  })
  const placed = await service.place(newUserId(), crypto.randomUUID(), { items, payment_token: paymentToken })
  if (!placed.ok) throw new Error(`placing failed: ${JSON.stringify(placed.error)}`)
  return input!
}

/** Injects failures into the coordinator of that order (before it starts). */
export async function injectFaults(orderId: string, faults: Record<string, Outcome>): Promise<void> {
  await runInDurableObject(sagaStub(orderId), (instance: SagaCoordinator) => {
    for (const [name, outcome] of Object.entries(faults)) instance.faults.set(name, outcome)
  })
}

/** Makes the coordinator lose the answers of these calls: they take effect, the saga sees `outcome`. */
export async function loseAnswers(orderId: string, answers: Record<string, Outcome>): Promise<void> {
  await runInDurableObject(sagaStub(orderId), (instance: SagaCoordinator) => {
    for (const [name, outcome] of Object.entries(answers)) instance.lostAnswers.set(name, outcome)
  })
}

export async function orderRow(id: string): Promise<Order & { version: number }> {
  const order = await createOrdersRepo(testEnv.DB).find(id)
  if (!order) throw new Error(`no order ${id}`)
  return order
}
