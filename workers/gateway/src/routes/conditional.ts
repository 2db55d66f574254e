import type { Context } from 'hono'
import { etagOf, noneMatchHits } from '../../../../platform/cache/http-cache'

export interface StaticBody {
  body: string
  etag: string
}

/** A body that never changes while the isolate lives, with its ETag computed once, on first use. */
export function staticBody(make: () => string): () => Promise<StaticBody> {
  let made: Promise<StaticBody> | null = null
  return () => {
    made ??= (async () => {
      const body = make()
      return { body, etag: await etagOf(body) }
    })()
    return made
  }
}

/** Answers the body with its ETag, or a bodiless 304 when the client's `If-None-Match` still matches. */
export function conditional(c: Context, { body, etag }: StaticBody, contentType: string, cacheControl: string): Response {
  const headers = { ETag: etag, 'Cache-Control': cacheControl }
  if (noneMatchHits(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers)
  return c.body(body, 200, { ...headers, 'Content-Type': contentType })
}
