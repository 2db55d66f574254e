import { Hono } from 'hono'
import { changePassword, deleteMe, getMe, updateMe } from '../../../../shared-contracts/api/users'
import { problem } from '../../../../platform/errors/problem'
import { requirePrincipal } from '../../../../platform/http/require-role'
import { validated } from '../../../../platform/http/validated'
import type { UsersEnv } from '../services'

export const meRoutes = new Hono<UsersEnv>()

// The gateway already refuses anonymous calls; checking again here is defense in depth.
meRoutes.use(requirePrincipal())

meRoutes.get('/', validated(getMe), async (c) => {
  const user = await c.var.services.users.me(c.var.caller.principal!)
  return user.ok ? c.json(user.value) : problem(c, user.error)
})

meRoutes.patch('/', validated(updateMe), async (c) => {
  const user = await c.var.services.users.updateMe(c.var.caller.principal!, c.req.valid('json'))
  return user.ok ? c.json(user.value) : problem(c, user.error)
})

/** 202: users has forgotten the person; the other services do so as user.deleted reaches them. */
meRoutes.delete('/', validated(deleteMe), async (c) => {
  const deleted = await c.var.services.account.deleteMe(c.var.caller.principal!, c.req.valid('json'))
  return deleted.ok ? c.body(null, 202) : problem(c, deleted.error, challengeFor(deleted.error.code))
})

meRoutes.post('/password', validated(changePassword), async (c) => {
  const changed = await c.var.services.account.changePassword(c.var.caller.principal!, c.req.valid('json'))
  return changed.ok ? c.body(null, 204) : problem(c, changed.error, challengeFor(changed.error.code))
})

/** A wrong password is a 401, and every 401 carries the bearer challenge (RFC 6750). */
const challengeFor = (code: string): Record<string, string> => (code === 'invalid_credentials' ? { 'WWW-Authenticate': 'Bearer' } : {})
