import { reuseCredentials } from '../../../../platform/auth/internal-credential'
import { relayOutbox } from '../../../../platform/events/outbox'
import { adoptWritten, recordWrites } from '../../../../platform/events/written-events'
import { shardIndex, shardsOf } from '../../../../platform/db/shards'
import type { PlaceOrderSagaInput } from '../../../../shared-contracts/orders'
import { DELETED_USER_ID } from '../../../../shared-contracts/events'
import { sagaView, type SagaState } from '../../../../durable-objects/saga-coordinator/engine'
import type { SagaHost } from '../../../../durable-objects/saga-coordinator/host'
import { ordersConfig } from '../config'
import type { Env } from '../env'
import { createOrdersRepo, shardHoldingOrder } from '../repo/orders-repo'
import { createSagasRepo, type SagaSummary } from '../repo/sagas-repo'
import { rpcCredential } from '../rpc/credentials'
import { applyOrderCommand } from '../service/orders-service'
import { cancelOrder, PLACE_ORDER_POLICY, PLACE_ORDER_STEPS, STEP_TIMEOUT_MS, withoutSpentToken, type PlaceOrderDeps } from './place-order'

/** A saga's state as its row in the `sagas` table. */
const summaryOf = (state: SagaState<PlaceOrderSagaInput>): SagaSummary => ({
  saga: sagaView(state),
  revision: state.revision,
  createdAt: state.created_at,
  updatedAt: state.updated_at,
})

/**
 * The PlaceOrder saga as the coordinator runs it, built from orders' env: its steps bound to
 * inventory, payments and the orders table; its summary kept in the `sagas` table.
 */
export function placeOrderHost(env: Env): SagaHost<PlaceOrderSagaInput> {
  // The steps' writes record the outbox rows they insert, so `relay` sends those in one statement.
  // A saga's rows are on its user's shard (docs/adr/0067); the host serves one saga, so one shard.
  const shards = shardsOf(env).map(recordWrites)
  let found: Promise<D1Database> | null = null
  const shardOf = (input: PlaceOrderSagaInput): Promise<D1Database> => {
    // An erased user's saga input names the tombstone, not the user: its order is looked for.
    found ??=
      input.user_id === DELETED_USER_ID
        ? // Shard 0 if none does: a summary without its order is written there.
          shardHoldingOrder(shards, input.order_id).then(
            (db) => db ?? shards[0]!,
            (error: unknown) => {
              found = null // A failed lookup is not kept: the saga's next call looks again.
              throw error
            },
          )
        : Promise.resolve(shards[shardIndex(input.user_id, shards.length)]!)
    return found
  }
  const orders = async (input: PlaceOrderSagaInput) => createOrdersRepo(await shardOf(input))
  const sagas = async (input: PlaceOrderSagaInput) => createSagasRepo(await shardOf(input))
  const policy = { ...PLACE_ORDER_POLICY, horizonMs: ordersConfig(env).sagaRetryHorizonMs }
  // Each call's credential names the saga (`saga-<order id>`), as its log lines do. The host
  // serves one coordinator, so one saga: a credential is signed once per callee and reused for
  // its calls of the next 15 s (the reservation and the commit), unless it carries a trace context.
  const credential = reuseCredentials<'inventory' | 'payments'>((audience, caller) => rpcCredential(env, audience, caller.requestId))
  const deps = (input: PlaceOrderSagaInput): PlaceOrderDeps => ({
    inventory: env.INVENTORY,
    payments: env.PAYMENTS,
    credential: (audience) => credential(audience, { principal: null, requestId: `saga-${input.order_id}` }),
    orderCommand: async (id, command, settling) =>
      applyOrderCommand(await orders(input), id, command, () => new Date(), settling && (() => summaryOf(settling()))),
  })
  return {
    name: 'place_order',
    service: 'orders',
    steps: PLACE_ORDER_STEPS.map((step) => ({
      name: step.name,
      publishes: step.publishes,
      run: (input, settling) => step.run(deps(input), input, settling),
      compensate: (input) => step.compensate(deps(input), input),
    })),
    policy,
    stepTimeoutMs: STEP_TIMEOUT_MS,
    finalize: (input, reason, settling) => cancelOrder(deps(input), input, reason, settling),
    scrub: withoutSpentToken,
    record: async (state) => (await sagas(state.input)).upsert(summaryOf(state)),
    recorded: async (input) => (await sagas(input)).find(input.order_id),
    relay: async (input, handed) => {
      if (handed.length > 0) adoptWritten(await shardOf(input), handed)
      await Promise.all(shards.map((db) => relayOutbox(db, env)))
    },
  }
}
