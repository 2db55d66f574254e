// Local development makes its own keys, on first start, with no manual step.
// It writes `.dev.vars` beside each Worker's wrangler config (git-ignored; wrangler dev reads
// them, wrangler deploy never does). Production keys are secrets: see docs/deploying.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { webcrypto } from 'node:crypto'
import { WORKERS } from './workers.mjs'

/** A fresh ES256 key pair as JWKs, with a kid. */
export async function generateKeyPair(kidPrefix) {
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
  const kid = `${kidPrefix}-${new Date().toISOString().slice(0, 10)}-${webcrypto.randomUUID().slice(0, 8)}`
  const privateJwk = { ...(await webcrypto.subtle.exportKey('jwk', pair.privateKey)), kid, alg: 'ES256' }
  const publicJwk = { ...(await webcrypto.subtle.exportKey('jwk', pair.publicKey)), kid, alg: 'ES256', use: 'sig' }
  delete privateJwk.key_ops
  delete privateJwk.ext
  delete publicJwk.key_ops
  delete publicJwk.ext
  return { privateJwk, publicJwk }
}

/**
 * The secrets and vars every Worker needs in local development and tests, as one object per
 * Worker; the admin account defaults unless ADMIN_EMAIL / ADMIN_PASSWORD are given.
 * `servicePrivateKeys` holds the keys services sign their RPC calls with (orders → inventory,
 * payments); the services they call trust the public halves through TRUSTED_CALLERS.
 */
export async function developmentVars({ adminEmail, adminPassword } = {}) {
  const gateway = await generateKeyPair('gateway')
  const tokens = await generateKeyPair('users')
  const orders = await generateKeyPair('orders')
  // FAULT_INJECTION exists only here, in local development (PUT /api/v1/admin/faults).
  const development = { ENVIRONMENT: 'development', FAULT_INJECTION: 'enabled' }
  const internal = { ...development, GATEWAY_PUBLIC_KEYS: JSON.stringify({ keys: [gateway.publicJwk] }) }
  const trustOrders = { TRUSTED_CALLERS: JSON.stringify({ orders: { keys: [orders.publicJwk] } }) }
  return {
    gateway: {
      ...development,
      GATEWAY_PRIVATE_KEY: JSON.stringify(gateway.privateJwk),
      CORS_ALLOWED_ORIGINS: 'http://localhost:3000,http://127.0.0.1:3000',
      // A short open period, so a developer (and the e2e suite) sees a breaker close again soon (production opens for 30 s).
      CIRCUIT_BREAKER_OPEN_MS: '5000',
    },
    users: {
      ...internal,
      JWT_PRIVATE_KEY: JSON.stringify(tokens.privateJwk),
      ...(adminEmail ? { ADMIN_EMAIL: adminEmail } : {}),
      ...(adminPassword ? { ADMIN_PASSWORD: adminPassword } : {}),
    },
    inventory: { ...internal, ...trustOrders },
    payments: { ...internal, ...trustOrders },
    notifications: { ...internal },
    orders: { ...internal, SERVICE_PRIVATE_KEY: JSON.stringify(orders.privateJwk) },
    servicePrivateKeys: { orders: JSON.stringify(orders.privateJwk) },
  }
}

/** Where a Worker's `.dev.vars` lives: beside its wrangler config. */
export function devVarsFile(config) {
  return config === 'wrangler.toml' ? '.dev.vars' : config.replace(/wrangler\.toml$/, '.dev.vars')
}

function toDotenv(vars) {
  return Object.entries(vars)
    .map(([name, value]) => `${name}='${value}'`)
    .join('\n')
    .concat('\n')
}

const OPTIONAL = new Set(['ADMIN_EMAIL', 'ADMIN_PASSWORD'])

function namesIn(file) {
  return new Set([...readFileSync(file, 'utf8').matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]))
}

/**
 * Writes every `.dev.vars` unless all of them exist with every variable this version needs
 * (after a pull that adds a Worker or a variable, they are made anew: keys must stay a set).
 */
export async function ensureDevVars(root = '.') {
  const vars = await developmentVars({ adminEmail: process.env.ADMIN_EMAIL, adminPassword: process.env.ADMIN_PASSWORD })
  const files = WORKERS.map(({ name, config }) => [name, `${root}/${devVarsFile(config)}`])
  const current = files.every(([worker, file]) => {
    if (!existsSync(file)) return false
    const present = namesIn(file)
    return Object.keys(vars[worker]).every((name) => OPTIONAL.has(name) || present.has(name))
  })
  if (current) return false
  for (const [worker, file] of files) writeFileSync(file, toDotenv(vars[worker]), { mode: 0o600 })
  return true
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const written = await ensureDevVars()
  console.log(written ? 'generated local development keys in .dev.vars files' : 'local development keys present')
}

/** The OpenTelemetry variables `npm start` hands to every Worker (docs/observability.md, "Tracing"). */
export const OTEL_VARS = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
]

/**
 * Puts the OpenTelemetry variables set in `env` into every `.dev.vars`, replacing the ones there
 * (none set: removes them). Answers whether tracing is on.
 */
export function writeOtelVars(env, root = '.') {
  const lines = OTEL_VARS.flatMap((name) => (env[name] ? [`${name}='${env[name]}'`] : []))
  for (const { config } of WORKERS) {
    const file = `${root}/${devVarsFile(config)}`
    if (!existsSync(file)) continue
    const kept = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !/^OTEL_[A-Z_]+=/.test(line))
    writeFileSync(file, [...kept, ...lines, ''].join('\n'))
  }
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT)
}
