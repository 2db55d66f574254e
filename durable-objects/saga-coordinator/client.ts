import type { Saga } from '../../shared-contracts/orders'
import type { PlaceOrderSagaInput } from '../../workers/orders/src/service/orders-service'
import { currentTraceparent } from '../../platform/telemetry/trace-context'
import type { SagaCoordinator } from './saga-coordinator'

/** The typed client: one coordinator per order, named by the order id. */
export function sagaClient(namespace: DurableObjectNamespace<SagaCoordinator>) {
  const stub = (orderId: string) => namespace.get(namespace.idFromName(orderId))
  return {
    /** Carries the active span along: the saga's steps continue the caller's trace. */
    start: (input: PlaceOrderSagaInput): Promise<Saga> => stub(input.order_id).start(input, currentTraceparent()) as Promise<Saga>,
    view: (orderId: string): Promise<Saga | null> => stub(orderId).view() as Promise<Saga | null>,
  }
}
export type SagaClient = ReturnType<typeof sagaClient>
