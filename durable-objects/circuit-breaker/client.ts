import { currentTraceparent } from '../../platform/telemetry/trace-context'
import type { CircuitBreaker, Report, ReportBatch } from './circuit-breaker'
import type { BreakerSnapshot, Decision, Outcome, Permit } from './state-machine'

export type { BreakerSnapshot, Decision, Outcome, Permit, Report, ReportBatch }

/** The typed client: one breaker per downstream service, named by the service. */
export function breakerClient(namespace: DurableObjectNamespace<CircuitBreaker>) {
  const stub = (service: string) => namespace.get(namespace.idFromName(service))
  return {
    acquire: (service: string): Promise<Decision> => stub(service).acquire(currentTraceparent()) as Promise<Decision>,
    report: (service: string, permit: Permit, outcome: Outcome): Promise<BreakerSnapshot> =>
      stub(service).report(permit, outcome) as Promise<BreakerSnapshot>,
    reportMany: (service: string, reports: Report[]): Promise<BreakerSnapshot> =>
      stub(service).reportMany(reports) as Promise<BreakerSnapshot>,
    settle: (service: string, batch: ReportBatch): Promise<BreakerSnapshot> => stub(service).settle(batch) as Promise<BreakerSnapshot>,
    snapshot: (service: string): Promise<BreakerSnapshot> => stub(service).snapshot() as Promise<BreakerSnapshot>,
  }
}
export type BreakerClient = ReturnType<typeof breakerClient>
