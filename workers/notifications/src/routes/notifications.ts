import { Hono } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import { validate } from '../../../../platform/http/json-body'
import { NotificationListQuerySchema } from '../../../../shared-contracts/notifications'
import type { NotificationsEnv } from '../env'

export const notificationRoutes = new Hono<NotificationsEnv>()

// The gateway already refuses anonymous calls; checking again here is defense in depth.
notificationRoutes.use(async (c, next) => {
  if (!c.var.caller.principal) return problem(c, { code: 'unauthenticated' }, { 'WWW-Authenticate': 'Bearer' })
  await next()
})

notificationRoutes.get('/', async (c) => {
  const query = validate(NotificationListQuerySchema, c.req.query())
  if (!query.ok) return problem(c, query.error)
  const page = await c.var.services.notifications.listMine(c.var.caller.principal!, query.value)
  return page.ok ? c.json(page.value) : problem(c, page.error)
})
