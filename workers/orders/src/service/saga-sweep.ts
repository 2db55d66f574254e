import type { SagaClient } from '../../../../durable-objects/saga-coordinator/client'
import { createLogger } from '../../../../platform/telemetry/log'
import type { SagasRepo } from '../repo/sagas-repo'
import type { PlaceOrderSagaInput } from '../../../../shared-contracts/orders'

const log = createLogger('orders')

/** A saga written with its order but not started after this long had its start lost. */
export const LOST_START_MS = 60_000

/**
 * The scheduled sweep's second half: starts the sagas whose start was lost (the order and its
 * saga summary were written, then the call to the coordinator failed). Starting is idempotent,
 * so a saga that did start in the meantime is only looked at.
 */
export async function startLostSagas(sagas: SagasRepo, client: SagaClient, now: Date): Promise<number> {
  const lost = (await sagas.unstarted(new Date(now.getTime() - LOST_START_MS).toISOString())) as PlaceOrderSagaInput[]
  const results = await Promise.allSettled(lost.map((input) => client.start(input)))
  results.forEach((result, index) => {
    if (result.status === 'rejected') log.error('saga start failed', { order_id: lost[index]!.order_id, error: result.reason })
  })
  return results.filter((result) => result.status === 'fulfilled').length
}
