import { Hono } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import { requireRole } from '../../../../platform/http/require-role'
import { validated } from '../../../../platform/http/validated'
import { adminGetUser } from '../../../../shared-contracts/api/users'
import type { UsersEnv } from '../services'

export const adminUserRoutes = new Hono<UsersEnv>()

// The gateway's policy keeps this to admins; the role is checked again here (defense in depth).
adminUserRoutes.use(requireRole('admin'))

adminUserRoutes.get('/:id', validated(adminGetUser), async (c) => {
  const account = await c.var.services.account.adminView(c.req.param('id'))
  return account.ok ? c.json(account.value) : problem(c, account.error)
})
