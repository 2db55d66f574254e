import type { SweepReport } from '../../../platform/http/sweep'
import { createLogger } from '../../../platform/telemetry/log'
import { SERVICES, type ServiceName } from '../../../shared-contracts/routes'
import type { GatewayServices } from './services'

const log = createLogger('gateway')

/** A sweep drains outboxes and retries deliveries: minutes of backlog may take a while, the cron may wait. */
export const SWEEP_TIMEOUT_MS = 60_000

export type SweepOutcome = { service: ServiceName; ok: true; report: SweepReport } | { service: ServiceName; ok: false; error: string }

async function sweepOne(services: GatewayServices, service: ServiceName, requestId: string): Promise<SweepOutcome> {
  try {
    const caller = { principal: null, requestId }
    const response = await services.call(service, '/internal/sweep', { method: 'POST', caller, timeoutMs: SWEEP_TIMEOUT_MS })
    if (!response.ok) {
      await response.body?.cancel()
      return { service, ok: false, error: `answered ${response.status}` }
    }
    return { service, ok: true, report: (await response.json()) as SweepReport }
  } catch (error) {
    return { service, ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * The system's one cron trigger (every minute, on the gateway): asks every service for its
 * sweep over its service binding, all at once, so one failing or slow service never holds up
 * or stops the others. Each outcome is one log line; a failed sweep is simply asked for again
 * at the next minute (every sweep is idempotent).
 */
export async function sweepServices(services: GatewayServices, scheduledTime: number): Promise<SweepOutcome[]> {
  const requestId = `sweep-${new Date(scheduledTime).toISOString()}`
  const outcomes = await Promise.all(SERVICES.map((service) => sweepOne(services, service, requestId)))
  for (const outcome of outcomes) {
    if (outcome.ok) {
      if (Object.values(outcome.report).some((count) => count > 0)) log.info('swept', { downstream: outcome.service, ...outcome.report })
    } else log.error('sweep failed', { downstream: outcome.service, error: outcome.error })
  }
  return outcomes
}
