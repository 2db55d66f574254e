import type { Caller } from '../../../platform/auth/internal-credential'
import type { InventoryRpcApi } from '../../../shared-contracts/inventory'
import type { PaymentsRpcApi } from '../../../shared-contracts/payments'
import type { SagaClient } from '../../../durable-objects/saga-coordinator/client'
import type { SagaCoordinatorBase } from '../../../durable-objects/saga-coordinator/saga-coordinator'
import type { PlaceOrderSagaInput } from '../../../shared-contracts/orders'
import type { OrdersService } from './service/orders-service'
import type { QueriesService } from './service/queries-service'

/** Bindings from workers/orders/wrangler.toml, its secrets, and `.dev.vars` in local development. */
export interface Env {
  DB: D1Database
  /** One PlaceOrder saga coordinator per order (./saga/saga-coordinator.ts). */
  SAGAS: DurableObjectNamespace<SagaCoordinatorBase<PlaceOrderSagaInput>>
  /** Typed RPC to InventoryRpc / PaymentsRpc; every call carries a credential signed as orders. */
  INVENTORY: InventoryRpcApi
  PAYMENTS: PaymentsRpcApi
  /** Its own queue (read model); dead-letter replays go back here. */
  EVENTS_ORDERS: Queue
  EVENTS_NOTIFICATIONS: Queue
  ENVIRONMENT: string
  /** `enabled` only in local development: fault injection (platform/faults). */
  FAULT_INJECTION?: string
  SERVICE_NAME: string
  RETRY_BASE_SECONDS?: string
  /** How long a saga step is retried from its first attempt (ms); default 120000. */
  SAGA_RETRY_HORIZON_MS?: string
  /** Days sent outbox and inbox rows are kept (replay window); default 7. */
  EVENT_RETENTION_DAYS?: string
  /** Operations metrics (reconciliation repairs); absent: none recorded. */
  METRICS?: AnalyticsEngineDataset
  GATEWAY_PUBLIC_KEYS?: string
  /** ES256 private JWK: signs this service's RPC credentials. */
  SERVICE_PRIVATE_KEY?: string
}

export interface OrdersEnv {
  Bindings: Env
  Variables: {
    requestId: string
    caller: Caller
    services: { orders: OrdersService; queries: QueriesService; sagas: SagaClient }
  }
}
