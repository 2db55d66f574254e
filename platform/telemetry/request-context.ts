import { AsyncLocalStorage } from 'node:async_hooks'

/** What every log line of one unit of work (a request, a queue message, an alarm) shares. */
export interface RequestContext {
  requestId: string
}

const storage = new AsyncLocalStorage<RequestContext>()

/**
 * Runs `work` with this request id in scope: the logger reads it from here, so it is never
 * threaded through calls. Set by the request-id middleware and by queue and alarm handlers.
 */
export function withRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work)
}

/** The request id of the work in progress, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId
}
