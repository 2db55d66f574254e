import { Hono } from 'hono'
import { LoginRequestSchema, RefreshRequestSchema, RegisterRequestSchema, type TokenResponse } from '../../../../shared-contracts/users'
import { problem } from '../../../../platform/errors/problem'
import { readJson } from '../../../../platform/http/json-body'
import { requirePrincipal } from '../../../../platform/http/require-role'
import type { Result } from '../../../../shared-contracts/errors'
import type { Context } from 'hono'
import type { UsersEnv } from '../env'

export const authRoutes = new Hono<UsersEnv>()

const BEARER_CHALLENGE = { 'WWW-Authenticate': 'Bearer' }

/** Every answer that carries tokens: never stored by a browser or a proxy (RFC 6749 §5.1). */
function tokenAnswer(c: Context<UsersEnv>, token: Result<TokenResponse>): Response {
  return token.ok ? c.json(token.value, 200, { 'Cache-Control': 'no-store' }) : problem(c, token.error, BEARER_CHALLENGE)
}

authRoutes.post('/register', async (c) => {
  const input = await readJson(c, RegisterRequestSchema)
  if (!input.ok) return problem(c, input.error)
  const user = await c.var.services.users.register(input.value)
  return user.ok ? c.json(user.value, 201, { Location: '/api/v1/users/me' }) : problem(c, user.error)
})

authRoutes.post('/login', async (c) => {
  const input = await readJson(c, LoginRequestSchema)
  if (!input.ok) return problem(c, input.error)
  return tokenAnswer(c, await c.var.services.users.login(input.value))
})

authRoutes.post('/refresh', async (c) => {
  const input = await readJson(c, RefreshRequestSchema)
  if (!input.ok) return problem(c, input.error)
  return tokenAnswer(c, await c.var.services.sessions.refresh(input.value.refresh_token))
})

// Signed in: the gateway already refuses anonymous calls; checking again here is defense in depth.
authRoutes.post('/logout', requirePrincipal(), async (c) => {
  const input = await readJson(c, RefreshRequestSchema)
  if (!input.ok) return problem(c, input.error)
  await c.var.services.sessions.logout(c.var.caller.principal!, input.value.refresh_token)
  return c.body(null, 204)
})
