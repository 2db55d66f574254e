import { Hono } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import { validated } from '../../../../platform/http/validated'
import { listDeadLetters, replayDeadLetter } from '../../../../shared-contracts/api/admin'
import { encodeCursor, type Page } from '../../../../shared-contracts/pagination'
import type { DeadLetter } from '../../../../platform/events/dead-letters'
import type { DeadLetterView } from '../../../../shared-contracts/api-schemas'
import { SUBSCRIBERS, type Subscriber } from '../../../../shared-contracts/subscriptions'
import type { GatewayEnv } from '../services'

/**
 * Dead letters live with the service whose queue they died in (database per service). The
 * admin API gathers them from every subscriber and sends a replay to the one that owns it;
 * public ids are `<service>:<message id>`.
 */
export const deadLetterRoutes = new Hono<GatewayEnv>()

type PublicDeadLetter = DeadLetterView & { service: Subscriber }

function isSubscriber(value: string): value is Subscriber {
  return (SUBSCRIBERS as string[]).includes(value)
}

/** Code-unit order, as SQLite compares the services' text columns (localeCompare would not). */
const descending = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0)

/**
 * Pages like every list (`?limit=&cursor=`), newest first across services: each service answers
 * its first `limit` after the cursor's position (received_at, public id), and the merged first
 * `limit` of those are the page. Checked here so a bad query is one 400, not one per service.
 */
deadLetterRoutes.get(listDeadLetters.path, validated(listDeadLetters), async (c) => {
  const { limit, cursor } = c.req.valid('query')
  const caller = { principal: c.var.principal, requestId: c.var.requestId }
  const search = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor: encodeCursor(cursor) } : {}) })
  const pages = await Promise.all(
    SUBSCRIBERS.map(async (service) => {
      const response = await c.var.services.call(service, `/internal/dead-letters?${search}`, { caller })
      if (!response.ok) throw new Error(`${service} answered ${response.status} for its dead letters`)
      const page = (await response.json()) as Page<DeadLetter>
      return {
        more: page.next_cursor !== null,
        items: page.items.map((item): PublicDeadLetter => ({ ...item, id: `${service}:${item.id}`, service })),
      }
    }),
  )
  const merged = pages.flatMap((page) => page.items).sort((a, b) => descending(a.received_at, b.received_at) || descending(a.id, b.id))
  const items = merged.slice(0, limit)
  const last = items.at(-1)
  const more = merged.length > items.length || pages.some((page) => page.more)
  return c.json({ items, next_cursor: more && last ? encodeCursor([last.received_at, last.id]) : null } satisfies Page<PublicDeadLetter>)
})

deadLetterRoutes.post(replayDeadLetter.path, validated(replayDeadLetter), async (c) => {
  const [service, ...rest] = c.req.param('id').split(':')
  const messageId = rest.join(':')
  if (!service || !isSubscriber(service) || messageId === '') return problem(c, { code: 'not_found', detail: 'No such dead letter.' })
  const response = await c.var.services.call(service, `/internal/dead-letters/${encodeURIComponent(messageId)}/replay`, {
    method: 'POST',
    caller: { principal: c.var.principal, requestId: c.var.requestId },
  })
  if (!response.ok) return new Response(response.body, response)
  const replayed = (await response.json()) as DeadLetter
  return c.json({ ...replayed, id: `${service}:${replayed.id}`, service } satisfies PublicDeadLetter)
})
