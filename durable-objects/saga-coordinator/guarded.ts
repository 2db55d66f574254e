import { isTimeout, withTimeout } from '../../platform/resilience/timeout'
import type { Outcome } from './engine'

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** Runs a step call under a timeout: a throw (a broken connection, a bug) or no answer in time is transient. */
export async function guarded(call: () => Promise<Outcome>, timeoutMs: number): Promise<Outcome> {
  try {
    return await withTimeout(timeoutMs, call)
  } catch (error) {
    return { kind: 'transient', error: isTimeout(error) ? `timeout: ${message(error)}` : `error: ${message(error)}` }
  }
}
