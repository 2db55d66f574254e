import type { Outcome } from './engine'

/** Runs a step call under a timeout: a throw (a broken connection, a bug) or no answer in time is transient. */
export async function guarded(call: () => Promise<Outcome>, timeoutMs: number): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | null = null
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'transient', error: `timeout: no answer within ${timeoutMs} ms` }), timeoutMs)
  })
  const answered = call().catch((error: unknown): Outcome => ({ kind: 'transient', error: `error: ${error instanceof Error ? error.message : String(error)}` }))
  try {
    return await Promise.race([answered, timeout])
  } finally {
    if (timer !== null) clearTimeout(timer)
  }
}
