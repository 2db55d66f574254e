import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'

/**
 * Runs a Worker's fetch handler (its index.ts default export) straight, on `request` with `env`
 * in place of its bindings, and waits for the work it left running (`waitUntil`) before answering.
 */
export async function fetchWithEnv(worker: ExportedHandler<never>, request: Request, env: object): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await worker.fetch!(request as never, env as never, ctx)
  await waitOnExecutionContext(ctx)
  return response
}
