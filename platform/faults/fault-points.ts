import type { FaultBindings } from './faults'

/**
 * A fault at one named point of a flow, where a service-wide fault would break its neighbours
 * too (a saga's charge, but not the release that compensates its reservation):
 * - `error`: the call is not made and fails, as a service answering the injected error would;
 * - `lost_answer`: the call is made and takes effect, then its answer is lost (a timeout whose
 *   outcome the caller cannot know).
 * Like the service-wide fault: in memory, per isolate, and only where FAULT_INJECTION is enabled.
 */
export type PointFault = 'error' | 'lost_answer'

const points = new Map<string, PointFault>()

/** Sets (or, with null, lifts) the fault at `point` in this isolate. */
export function setPointFault(point: string, fault: PointFault | null): void {
  if (fault === null) points.delete(point)
  else points.set(point, fault)
}

/** What an injected point fault throws: to its caller, a call that failed on the way. */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault'
}

/** Runs `call` at `point`, failing it as the point's fault (if any) says. */
export async function atFaultPoint<T>(env: FaultBindings, point: string, call: () => Promise<T>): Promise<T> {
  const fault = env.FAULT_INJECTION === 'enabled' ? points.get(point) : undefined
  if (fault === undefined) return call()
  if (fault === 'error') throw new InjectedFault(`injected fault at ${point}`)
  await call()
  throw new InjectedFault(`injected fault at ${point}: the answer was lost`)
}
