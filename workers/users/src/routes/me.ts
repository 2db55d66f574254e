import { Hono } from 'hono'
import { UpdateMeRequestSchema } from '../../../../shared-contracts/users'
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
