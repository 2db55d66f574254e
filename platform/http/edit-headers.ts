import type { Context } from 'hono'

/**
 * Edits the headers of the answer made so far (`c.res`) in place, without building a copy. Only a
 * response passed through as it came has immutable headers: that one is copied once, then edited.
 */
export function editHeaders(c: Context, edit: (headers: Headers) => void): void {
  try {
    edit(c.res.headers)
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    c.res = new Response(c.res.body, c.res)
    edit(c.res.headers)
  }
}
