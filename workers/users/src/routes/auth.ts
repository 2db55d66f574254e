import { Hono } from 'hono'
import { LoginRequestSchema, RegisterRequestSchema } from '../../../../shared-contracts/users'
import { problem } from '../../../../platform/errors/problem'
import { readJson } from '../../../../platform/http/json-body'
import type { UsersEnv } from '../env'

export const authRoutes = new Hono<UsersEnv>()

authRoutes.post('/register', async (c) => {
  const input = await readJson(c, RegisterRequestSchema)
  if (!input.ok) return problem(c, input.error)
  const user = await c.var.services.users.register(input.value)
  return user.ok ? c.json(user.value, 201, { Location: '/api/v1/users/me' }) : problem(c, user.error)
})

authRoutes.post('/login', async (c) => {
  const input = await readJson(c, LoginRequestSchema)
  if (!input.ok) return problem(c, input.error)
  const token = await c.var.services.users.login(input.value)
  return token.ok ? c.json(token.value) : problem(c, token.error, { 'WWW-Authenticate': 'Bearer' })
})
