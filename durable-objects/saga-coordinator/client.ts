import type { PlaceOrderSagaInput, Saga } from '../../shared-contracts/orders'
import { currentTraceparent } from '../../platform/telemetry/trace-context'
import type { StartOptions } from './host'
import type { SagaCoordinatorBase } from './saga-coordinator'

/** The typed client of the PlaceOrder saga: one coordinator per order, named by the order id. */
export function sagaClient(namespace: DurableObjectNamespace<SagaCoordinatorBase<PlaceOrderSagaInput>>) {
  const stub = (orderId: string) => namespace.get(namespace.idFromName(orderId))
  return {
    /** Carries the active span along: the saga's steps continue the caller's trace. */
    start: (input: PlaceOrderSagaInput, options?: StartOptions): Promise<Saga> =>
      stub(input.order_id).start(input, currentTraceparent(), options) as Promise<Saga>,
    view: (orderId: string): Promise<Saga | null> => stub(orderId).view() as Promise<Saga | null>,
  }
}
export type SagaClient = ReturnType<typeof sagaClient>
