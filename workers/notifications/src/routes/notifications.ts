import { Hono } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import { validated } from '../../../../platform/http/validated'
import { listNotifications } from '../../../../shared-contracts/api/notifications'
import type { NotificationsEnv } from '../services'

export const notificationRoutes = new Hono<NotificationsEnv>()

// The gateway already refuses anonymous calls; checking again here is defense in depth.
notificationRoutes.use(async (c, next) => {
  if (!c.var.caller.principal) return problem(c, { code: 'unauthenticated' }, { 'WWW-Authenticate': 'Bearer' })
  await next()
})

notificationRoutes.get('/', validated(listNotifications), async (c) => {
  const page = await c.var.services.notifications.listMine(c.var.caller.principal!, c.req.valid('query'))
  return page.ok ? c.json(page.value) : problem(c, page.error)
})
