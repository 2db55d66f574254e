import type { MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import type { Route } from '../../shared-contracts/route'
import { problem } from '../errors/problem'
import { readJson, validate } from './json-body'

/** The parts of a route object a Worker checks a request against. */
type Checked = Pick<Route, 'path' | 'params' | 'query' | 'headers' | 'body'>

type Parsed<S> = S extends z.ZodType ? z.output<S> : never

/** Nothing more: the neutral element of the intersections below (hono's `Input` needs an object type, so not `unknown`). */
// biome-ignore lint/complexity/noBannedTypes: `{}` is exactly the empty object type meant here.
type Nothing = {}

/** What `c.req.valid(...)` answers after `validated(route)`: only the parts the route declares. */
export interface ValidatedInput<R extends Checked> {
  out: (R['params'] extends z.ZodType ? { param: Parsed<R['params']> } : Nothing) &
    (R['query'] extends z.ZodType ? { query: Parsed<R['query']> } : Nothing) &
    (R['headers'] extends z.ZodType ? { header: Parsed<R['headers']> } : Nothing) &
    (R['body'] extends { schema: infer S } ? { json: Parsed<S> } : Nothing)
}

/**
 * Checks a request against its route object before the handler runs, in this order: path
 * parameters (one that does not parse names no resource: 404 `not_found`), headers, query and
 * JSON body (400 `validation_failed` naming each field, or `malformed_json`). The handler reads
 * the parsed values with `c.req.valid('param' | 'header' | 'query' | 'json')`.
 */
// biome-ignore lint/suspicious/noExplicitAny: hono's own middleware type for "any app's env"; the route decides the input.
export function validated<const R extends Checked>(route: R): MiddlewareHandler<any, string, ValidatedInput<R>> {
  const { params, headers, query, body } = route
  const headerNames = headers ? Object.keys(headers.shape) : []
  return async function validated(c, next) {
    if (params) {
      const parsed = params.safeParse(c.req.param())
      if (!parsed.success) return problem(c, { code: 'not_found' })
      c.req.addValidatedData('param', parsed.data as object)
    }
    if (headers) {
      const parsed = validate(headers, Object.fromEntries(headerNames.map((name) => [name, c.req.header(name)])))
      if (!parsed.ok) return problem(c, parsed.error)
      c.req.addValidatedData('header', parsed.value as object)
    }
    if (query) {
      const parsed = validate(query, c.req.query())
      if (!parsed.ok) return problem(c, parsed.error)
      c.req.addValidatedData('query', parsed.value as object)
    }
    if (body) {
      const parsed = await readJson(c, body.schema)
      if (!parsed.ok) return problem(c, parsed.error)
      c.req.addValidatedData('json', parsed.value as object)
    }
    await next()
  }
}
