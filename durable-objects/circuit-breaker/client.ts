import { currentTraceparent } from '../../platform/telemetry/trace-context'
import type { CircuitBreaker } from './circuit-breaker'
import type { BreakerSnapshot, Decision, Outcome, Permit } from './state-machine'
import type { Report, ReportBatch } from './tally'

export type { BreakerSnapshot, Decision, Outcome, Permit, Report, ReportBatch }

/** The typed client: one breaker per downstream service, named by the service. */
export function breakerClient(namespace: DurableObjectNamespace<CircuitBreaker>) {
  const stub = (service: string) => namespace.get(namespace.idFromName(service))
  return {
    acquire: (service: string): Promise<Decision> => stub(service).acquire(currentTraceparent()) as Promise<Decision>,
    settle: (service: string, batch: ReportBatch): Promise<BreakerSnapshot> => stub(service).settle(batch) as Promise<BreakerSnapshot>,
    snapshot: (service: string): Promise<BreakerSnapshot> => stub(service).snapshot() as Promise<BreakerSnapshot>,
  }
}
export type BreakerClient = ReturnType<typeof breakerClient>
