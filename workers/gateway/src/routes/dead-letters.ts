import { Hono } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import type { DeadLetter } from '../../../../platform/events/dead-letters'
import type { DeadLetterView } from '../../../../shared-contracts/api-schemas'
import { SUBSCRIBERS, type Subscriber } from '../../../../shared-contracts/subscriptions'
import type { GatewayEnv } from '../env'

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

deadLetterRoutes.get('/api/v1/admin/dead-letters', async (c) => {
  const caller = { principal: c.var.principal, requestId: c.var.requestId }
  const lists = await Promise.all(
    SUBSCRIBERS.map(async (service) => {
      const response = await c.var.services.call(service, '/internal/dead-letters', { caller })
      if (!response.ok) throw new Error(`${service} answered ${response.status} for its dead letters`)
      const { items } = (await response.json()) as { items: DeadLetter[] }
      return items.map((item): PublicDeadLetter => ({ ...item, id: `${service}:${item.id}`, service }))
    }),
  )
  const items = lists.flat().sort((a, b) => b.received_at.localeCompare(a.received_at))
  return c.json({ items, next_cursor: null })
})

deadLetterRoutes.post('/api/v1/admin/dead-letters/:id/replay', async (c) => {
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
