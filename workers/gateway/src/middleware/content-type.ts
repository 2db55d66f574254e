import type { MiddlewareHandler } from 'hono'
import { problem } from '../../../../platform/errors/problem'

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

function hasBody(request: Request): boolean {
  const length = request.headers.get('Content-Length')
  return request.headers.has('Transfer-Encoding') || (length !== null && length !== '0')
}

/** The API speaks JSON: a request that carries a body must say it is JSON, or it is a 415. */
export function requireJsonBody(): MiddlewareHandler {
  return async function requireJsonBody(c, next) {
    if (hasBody(c.req.raw) && !JSON_MEDIA_TYPE.test(c.req.header('Content-Type') ?? '')) {
      return problem(c, { code: 'unsupported_media_type', detail: 'Send the body as application/json.' })
    }
    await next()
  }
}
