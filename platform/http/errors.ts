import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { problem } from '../errors/problem'
import { createLogger } from '../telemetry/log'
import { ConfigError } from '../env/config'

/**
 * The one place a Worker turns an unexpected throw into a 500 problem+json: the request id
 * is kept, the stack is logged, never sent.
 */
export function onError(service: string): ErrorHandler {
  const log = createLogger(service)
  return function onError(error, c) {
    if (error instanceof HTTPException && error.status === 413) {
      return problem(c, { code: 'payload_too_large' })
    }
    if (error instanceof ConfigError) {
      // The var and the reason go to the log only: the answer says nothing of the configuration.
      log.error('bad configuration', { request_id: c.get('requestId'), problems: error.problems })
      return problem(c, { code: 'internal_error' })
    }
    log.error('unhandled error', { request_id: c.get('requestId'), error })
    return problem(c, { code: 'internal_error' })
  }
}

export const notFound: NotFoundHandler = (c: Context) => problem(c, { code: 'not_found' })
