import { etagOf, type Representation } from '../../../../platform/cache/http-cache'

/**
 * A body that never changes while the isolate lives, with its ETag computed on first use. Only
 * the finished strings are kept, never a promise another request would await (docs/adr/0017,
 * "Single-flight across requests"); two first requests may both compute it.
 */
export function staticBody(make: () => string): () => Promise<Representation> {
  let made: Representation | null = null
  return async () => {
    if (made) return made
    const body = make()
    made = { body, etag: await etagOf(body) }
    return made
  }
}
