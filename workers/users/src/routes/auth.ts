import { Hono } from 'hono'
import type { TokenResponse } from '../../../../shared-contracts/users'
import { login, logout, refresh, register } from '../../../../shared-contracts/api/auth'
import { problem } from '../../../../platform/errors/problem'
import { requirePrincipal } from '../../../../platform/http/require-role'
import { validated } from '../../../../platform/http/validated'
import type { Result } from '../../../../shared-contracts/errors'
import type { Context } from 'hono'
import type { UsersEnv } from '../services'

export const authRoutes = new Hono<UsersEnv>()

const BEARER_CHALLENGE = { 'WWW-Authenticate': 'Bearer' }

/** Every answer that carries tokens: never stored by a browser or a proxy (RFC 6749 §5.1). */
function tokenAnswer(c: Context<UsersEnv>, token: Result<TokenResponse>): Response {
  return token.ok ? c.json(token.value, 200, { 'Cache-Control': 'no-store' }) : problem(c, token.error, BEARER_CHALLENGE)
}

authRoutes.post('/register', validated(register), async (c) => {
  const user = await c.var.services.users.register(c.req.valid('json'))
  return user.ok ? c.json(user.value, 201, { Location: '/api/v1/users/me' }) : problem(c, user.error)
})

authRoutes.post('/login', validated(login), async (c) => tokenAnswer(c, await c.var.services.users.login(c.req.valid('json'))))

authRoutes.post('/refresh', validated(refresh), async (c) =>
  tokenAnswer(c, await c.var.services.sessions.refresh(c.req.valid('json').refresh_token)),
)

// Signed in: the gateway already refuses anonymous calls; checking again here is defense in depth.
authRoutes.post('/logout', requirePrincipal(), validated(logout), async (c) => {
  await c.var.services.sessions.logout(c.var.caller.principal!, c.req.valid('json').refresh_token)
  return c.body(null, 204)
})
