import { reuseCredentials } from '../../../../platform/auth/internal-credential'
import { relayOutbox } from '../../../../platform/events/outbox'
import { recordWrites } from '../../../../platform/events/written-events'
import type { PlaceOrderSagaInput } from '../../../../shared-contracts/orders'
import { sagaView } from '../../../../durable-objects/saga-coordinator/engine'
import type { SagaHost } from '../../../../durable-objects/saga-coordinator/host'
import { ordersConfig } from '../config'
import type { Env } from '../env'
import { createOrdersRepo } from '../repo/orders-repo'
import { createSagasRepo } from '../repo/sagas-repo'
import { rpcCredential } from '../rpc/credentials'
import { applyOrderCommand } from '../service/orders-service'
import { cancelOrder, PLACE_ORDER_POLICY, PLACE_ORDER_STEPS, STEP_TIMEOUT_MS, withoutSpentToken, type PlaceOrderDeps } from './place-order'

/**
 * The PlaceOrder saga as the coordinator runs it, built from orders' env: its steps bound to
 * inventory, payments and the orders table; its summary kept in the `sagas` table.
 */
export function placeOrderHost(env: Env): SagaHost<PlaceOrderSagaInput> {
  // The steps' writes record the outbox rows they insert, so `relay` sends those in one statement.
  const db = recordWrites(env.DB)
  const orders = createOrdersRepo(db)
  const sagas = createSagasRepo(db)
  const policy = { ...PLACE_ORDER_POLICY, horizonMs: ordersConfig(env).sagaRetryHorizonMs }
  // Each call's credential names the saga (`saga-<order id>`), as its log lines do. The host
  // serves one coordinator, so one saga: a credential is signed once per callee and reused for
  // its calls of the next 15 s (the reservation and the commit), unless it carries a trace context.
  const credential = reuseCredentials<'inventory' | 'payments'>((audience, caller) => rpcCredential(env, audience, caller.requestId))
  const deps = (orderId: string): PlaceOrderDeps => ({
    inventory: env.INVENTORY,
    payments: env.PAYMENTS,
    credential: (audience) => credential(audience, { principal: null, requestId: `saga-${orderId}` }),
    orderCommand: (id, command) => applyOrderCommand(orders, id, command, () => new Date()),
  })
  return {
    name: 'place_order',
    service: 'orders',
    steps: PLACE_ORDER_STEPS.map((step) => ({
      name: step.name,
      publishes: step.publishes,
      run: (input) => step.run(deps(input.order_id), input),
      compensate: (input) => step.compensate(deps(input.order_id), input),
    })),
    policy,
    stepTimeoutMs: STEP_TIMEOUT_MS,
    finalize: (input, reason) => cancelOrder(deps(input.order_id), input, reason),
    scrub: withoutSpentToken,
    record: (state) =>
      sagas.upsert({ saga: sagaView(state), revision: state.revision, createdAt: state.created_at, updatedAt: state.updated_at }),
    recorded: (id) => sagas.find(id),
    relay: async () => {
      await relayOutbox(db, env)
    },
  }
}
