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

/** Every answer that carries a token: login, and any route that issues one later. */
export const TOKEN_ANSWER_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

authRoutes.post('/login', async (c) => {
  const input = await readJson(c, LoginRequestSchema)
  if (!input.ok) return problem(c, input.error)
  const token = await c.var.services.users.login(input.value)
  // A token answer is never kept by a cache, shared or private (RFC 6749 §5.1).
  return token.ok ? c.json(token.value, 200, TOKEN_ANSWER_HEADERS) : problem(c, token.error, { 'WWW-Authenticate': 'Bearer' })
})
