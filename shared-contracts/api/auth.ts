import { EXAMPLES } from '../api-examples'
import { CREDENTIALS, PUBLIC, route, SIGNED_IN } from '../route'
import { LoginRequestSchema, RefreshRequestSchema, RegisterRequestSchema, TokenResponseSchema, UserSchema } from '../users'

export const register = route({
  method: 'POST',
  path: '/api/v1/auth/register',
  service: 'users',
  access: PUBLIC,
  ...CREDENTIALS,
  summary: 'Create a customer account',
  tag: 'Auth',
  body: { schema: RegisterRequestSchema, example: EXAMPLES.register },
  success: { status: 201, schema: UserSchema, example: EXAMPLES.user, location: true },
  errors: ['email_taken'],
})

export const login = route({
  method: 'POST',
  path: '/api/v1/auth/login',
  service: 'users',
  access: PUBLIC,
  ...CREDENTIALS,
  summary: 'Exchange an email and password for an access token and a refresh token',
  description:
    'A wrong email and a wrong password answer the same 401. The refresh token starts a session (30 days without use, 90 at most); the answer is `Cache-Control: no-store`.',
  tag: 'Auth',
  body: { schema: LoginRequestSchema, example: EXAMPLES.login },
  success: { status: 200, schema: TokenResponseSchema, example: EXAMPLES.token },
  errors: ['invalid_credentials'],
})

// Account lifecycle (docs/adr/0027): a refresh token is a credential, counted like login.
export const refresh = route({
  method: 'POST',
  path: '/api/v1/auth/refresh',
  service: 'users',
  access: PUBLIC,
  ...CREDENTIALS,
  summary: 'Exchange a refresh token for a new access token and a new refresh token',
  description:
    'Each refresh token works once (rotation). Presenting one that was already used ends its whole session: every token of it stops working (reuse detection). An unknown, expired, used or revoked token answers the same 401.',
  tag: 'Auth',
  body: { schema: RefreshRequestSchema, example: { refresh_token: EXAMPLES.token.refresh_token } },
  success: { status: 200, schema: TokenResponseSchema, example: EXAMPLES.token },
  errors: ['invalid_refresh_token'],
})

export const logout = route({
  method: 'POST',
  path: '/api/v1/auth/logout',
  service: 'users',
  access: SIGNED_IN,
  summary: "End the caller's session",
  description:
    "The session of the refresh token sent ends at once: none of its refresh tokens works again. A token that is not the caller's, or already ended, changes nothing (still 204). Access tokens already issued stay valid until they expire (at most 15 minutes).",
  tag: 'Auth',
  body: { schema: RefreshRequestSchema, example: { refresh_token: EXAMPLES.token.refresh_token } },
  success: { status: 204 },
})
