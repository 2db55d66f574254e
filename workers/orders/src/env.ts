import type { InventoryRpcApi } from '../../../shared-contracts/inventory'
import type { PaymentsRpcApi } from '../../../shared-contracts/payments'
import type { SagaCoordinatorBase } from '../../../durable-objects/saga-coordinator/saga-coordinator'
import type { PlaceOrderSagaInput } from '../../../shared-contracts/orders'

/**
 * The orders Worker's bindings: everything its wrangler.toml declares comes from `wrangler types`
 * (../worker-configuration.d.ts, `npm run types`); below are only what the config cannot
 * declare: secrets, and the optional vars a `.dev.vars` or a deployed environment sets.
 */
export interface Env extends Omit<OrdersBindings, 'INVENTORY' | 'PAYMENTS' | 'SAGAS'> {
  /**
   * One PlaceOrder saga coordinator per order (./saga/saga-coordinator.ts), typed by the generic
   * coordinator rather than the generated `import("./src/index")`, so this file imports nothing that imports it.
   */
  SAGAS: DurableObjectNamespace<SagaCoordinatorBase<PlaceOrderSagaInput>>
  /**
   * Typed RPC to InventoryRpc / PaymentsRpc (their contracts in shared-contracts, not another
   * Worker's classes); every call carries a credential signed as orders.
   */
  INVENTORY: InventoryRpcApi
  PAYMENTS: PaymentsRpcApi
  /** `enabled` only in local development: fault injection (platform/faults). */
  FAULT_INJECTION?: string
  /** How long a saga step is retried from its first attempt (ms); default 120000. */
  SAGA_RETRY_HORIZON_MS?: string
  /** JWKS of the gateway's credential-signing keys: every HTTP route checks the gateway credential. */
  GATEWAY_PUBLIC_KEYS?: string
  /** Secret: the ES256 private JWK that signs this service's RPC credentials. */
  SERVICE_PRIVATE_KEY?: string
}
