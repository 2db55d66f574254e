import { Hono } from 'hono'
import { ChangePasswordRequestSchema, DeleteMeRequestSchema, UpdateMeRequestSchema } from '../../../../shared-contracts/users'
import { problem } from '../../../../platform/errors/problem'
import { readJson } from '../../../../platform/http/json-body'
import { requirePrincipal } from '../../../../platform/http/require-role'
import type { UsersEnv } from '../env'

export const meRoutes = new Hono<UsersEnv>()

// The gateway already refuses anonymous calls; checking again here is defense in depth.
meRoutes.use(requirePrincipal())

meRoutes.get('/', async (c) => {
  const user = await c.var.services.users.me(c.var.caller.principal!)
  return user.ok ? c.json(user.value) : problem(c, user.error)
})

meRoutes.patch('/', async (c) => {
  const input = await readJson(c, UpdateMeRequestSchema)
  if (!input.ok) return problem(c, input.error)
  const user = await c.var.services.users.updateMe(c.var.caller.principal!, input.value)
  return user.ok ? c.json(user.value) : problem(c, user.error)
})

/** 202: users has forgotten the person; the other services do so as user.deleted reaches them. */
meRoutes.delete('/', async (c) => {
  const input = await readJson(c, DeleteMeRequestSchema)
  if (!input.ok) return problem(c, input.error)
  const deleted = await c.var.services.account.deleteMe(c.var.caller.principal!, input.value)
  return deleted.ok ? c.body(null, 202) : problem(c, deleted.error, challengeFor(deleted.error.code))
})

meRoutes.post('/password', async (c) => {
  const input = await readJson(c, ChangePasswordRequestSchema)
  if (!input.ok) return problem(c, input.error)
  const changed = await c.var.services.account.changePassword(c.var.caller.principal!, input.value)
  return changed.ok ? c.body(null, 204) : problem(c, changed.error, challengeFor(changed.error.code))
})

/** A wrong password is a 401, and every 401 carries the bearer challenge (RFC 6750). */
const challengeFor = (code: string): Record<string, string> => (code === 'invalid_credentials' ? { 'WWW-Authenticate': 'Bearer' } : {})
