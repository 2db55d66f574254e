import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { jwk } from 'hono/jwk'
import { sign } from 'hono/jwt'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'

// The peer: a gateway built from Hono's stock middleware (request id, a JSON log line per
// request, secure headers, CORS, body limit, JWT verification against the users service's JWKS)
// forwarding over the same service bindings as ours — no rate limiter, no circuit breaker, no
// bulkhead, no cache. The one piece that is not stock is the internal credential: the services
// accept a request only with the ES256 credential our gateway signs (X-Gateway-Credential), so
// the peer signs the same claims, reusing one per principal for 15 s as our gateway does.

interface Env {
  USERS: Fetcher
  INVENTORY: Fetcher
  ORDERS: Fetcher
  PAYMENTS: Fetcher
  NOTIFICATIONS: Fetcher
  JWT_ISSUER: string
  JWT_AUDIENCE: string
  CORS_ALLOWED_ORIGINS: string
  GATEWAY_PRIVATE_KEY: string
}

type Service = 'users' | 'inventory' | 'orders' | 'payments' | 'notifications'
const BINDING = { users: 'USERS', inventory: 'INVENTORY', orders: 'ORDERS', payments: 'PAYMENTS', notifications: 'NOTIFICATIONS' } as const
// Which service owns a path: the first segment after /api/v1/.
const OWNER: Record<string, Service> = {
  auth: 'users',
  users: 'users',
  products: 'inventory',
  orders: 'orders',
  payments: 'payments',
  notifications: 'notifications',
}
const JWKS_MAX_AGE_MS = 10 * 60_000
const CREDENTIAL_REUSE_MS = 15_000

interface Claims {
  sub?: string
  roles?: string[]
}

// --- The non-stock piece: the internal credential ---------------------------------------------
let privateKey: { json: string; jwk: JsonWebKey & { kid?: string; alg?: string } } | null = null
const credentials = new Map<string, { token: string; until: number }>()

async function credential(env: Env, audience: Service, claims: Claims | undefined, rid: string): Promise<string> {
  if (privateKey?.json !== env.GATEWAY_PRIVATE_KEY) privateKey = { json: env.GATEWAY_PRIVATE_KEY, jwk: JSON.parse(env.GATEWAY_PRIVATE_KEY) }
  const roles = claims?.roles ?? []
  const key = `${audience}\n${claims?.sub ?? ''}\n${roles.join(',')}`
  const now = Date.now()
  const kept = credentials.get(key)
  if (kept && kept.until > now) return kept.token
  const iat = Math.floor(now / 1000)
  const token = await sign(
    { iss: 'gateway', aud: audience, sub: claims?.sub ?? 'anonymous', roles, rid, iat, exp: iat + 60 },
    // biome-ignore lint/suspicious/noExplicitAny: hono's JWK type is a structural copy of JsonWebKey
    privateKey.jwk as any,
  )
  if (credentials.size > 1000) credentials.clear()
  credentials.set(key, { token, until: now + CREDENTIAL_REUSE_MS })
  return token
}

// --- The JWKS, fetched over the USERS binding as our gateway does, kept for 10 minutes --------
let jwks: { keys: unknown[]; until: number } | null = null
async function signingKeys(env: Env) {
  if (jwks && jwks.until > Date.now()) return jwks.keys
  const response = await env.USERS.fetch('https://users.internal/.well-known/jwks.json', {
    headers: { 'X-Gateway-Credential': await credential(env, 'users', undefined, crypto.randomUUID()) },
  })
  if (!response.ok) throw new Error(`JWKS fetch failed with ${response.status}`)
  const { keys } = (await response.json()) as { keys: unknown[] }
  jwks = { keys, until: Date.now() + JWKS_MAX_AGE_MS }
  return keys
}

type PeerEnv = { Bindings: Env; Variables: { requestId: string; jwtPayload?: Claims } }
const app = new Hono<PeerEnv>()

app.use(requestId())
// One JSON line per request, as a team would write it.
app.use(async (c, next) => {
  const started = Date.now()
  await next()
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: c.res.status >= 500 ? 'warn' : 'info',
      message: 'request',
      request_id: c.var.requestId,
      method: c.req.method,
      path: c.req.routePath,
      status: c.res.status,
      duration_ms: Date.now() - started,
    }),
  )
})
app.use(secureHeaders())
app.use(cors({ origin: (origin, c) => (c.env.CORS_ALLOWED_ORIGINS.split(',').includes(origin) ? origin : null) }))
app.use(bodyLimit({ maxSize: 1024 * 1024 }))
// hono/jwk with the issuer and audience of the environment (built once per isolate).
let verifyToken: MiddlewareHandler | null = null
app.use('/api/*', (c, next) => {
  verifyToken ??= jwk({
    keys: (ctx) => signingKeys(ctx.env) as never,
    alg: ['ES256'],
    allow_anon: true,
    verification: { iss: c.env.JWT_ISSUER, aud: c.env.JWT_AUDIENCE, typ: 'at+jwt' },
  })
  return verifyToken(c, next)
})

app.all('/api/v1/:resource/*', forward)
app.all('/api/v1/:resource', forward)

async function forward(c: Context<PeerEnv>) {
  const service = OWNER[c.req.param('resource') ?? '']
  if (!service) return c.json({ title: 'Not Found' }, 404)
  const url = new URL(c.req.url)
  const headers = new Headers(c.req.raw.headers)
  headers.delete('authorization')
  headers.set('X-Gateway-Credential', await credential(c.env, service, c.var.jwtPayload, c.var.requestId))
  headers.set('X-Request-Id', c.var.requestId)
  const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? null : c.req.raw.body
  return c.env[BINDING[service]].fetch(`https://${service}.internal${url.pathname}${url.search}`, { method: c.req.method, headers, body })
}

export default app
