import { SagaCoordinatorBase } from '../../../../durable-objects/saga-coordinator/saga-coordinator'
import type { PlaceOrderSagaInput } from '../../../../shared-contracts/orders'
import type { Env } from '../env'
import { placeOrderHost } from './place-order-host'

/**
 * One PlaceOrder saga per order (`SAGAS.idFromName(order_id)`): the generic coordinator, given
 * the PlaceOrder host built from this Worker's env. Bound as `SagaCoordinator` in wrangler.toml.
 */
export class SagaCoordinator extends SagaCoordinatorBase<PlaceOrderSagaInput> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, placeOrderHost(env))
  }
}
