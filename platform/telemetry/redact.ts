/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]'

/** Field names whose values are secrets, compared lower-cased with `-` read as `_`. */
const SECRET_NAMES = new Set([
  'password',
  'passwd',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'payment_token',
  'authorization',
  'proxy_authorization',
  'credential',
  'credentials',
  'secret',
  'client_secret',
  'key',
  'private_key',
  'api_key',
  'apikey',
  'jwk',
  'jwks',
  'cookie',
  'set_cookie',
  'signature',
  // The private members of a JWK (RFC 7518 §6): never a field name worth keeping in a log.
  'd',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
  'k',
])

/** Names that merely contain one of these are secrets too (`new_password`, `x_api_key`, `session_token`). */
const SECRET_PARTS = ['password', 'secret', 'token', 'credential', 'cookie', 'authorization']

/**
 * Secrets recognisable by their shape, wherever they appear in a string (an error message, say),
 * each with the literals it starts with (`hints`, compared case-insensitively).
 */
const SECRET_SHAPES: { hints: string[]; shape: RegExp; replacement: string }[] = [
  { hints: ['eyJ'], shape: /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, replacement: REDACTED }, // a JWT (JWS compact)
  { hints: ['bearer', 'basic'], shape: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, replacement: `$1 ${REDACTED}` },
  {
    hints: ['-----BEGIN'],
    shape: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    replacement: REDACTED,
  },
  { hints: ['tok_'], shape: /\btok_[A-Za-z0-9_]+/g, replacement: REDACTED }, // a payment provider's card token
]

/**
 * Matches wherever any of SECRET_SHAPES could (their hints: a superset). Text without any is
 * returned as it is, unscanned by the shapes — most log text.
 */
const SHAPE_HINT = new RegExp(
  SECRET_SHAPES.flatMap(({ hints }) => hints)
    .map((hint) => hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'i',
)

const MAX_DEPTH = 8

/** Field names seen so far and whether each is secret; bounded, as names can come from input. */
const nameVerdicts = new Map<string, boolean>()
const MAX_NAME_VERDICTS = 512

function judgeName(name: string): boolean {
  const normalised = name.toLowerCase().replaceAll('-', '_')
  if (SECRET_NAMES.has(normalised)) return true
  if (normalised.endsWith('_key') || normalised.endsWith('_jwk')) return true
  return SECRET_PARTS.some((part) => normalised.includes(part))
}

export function isSecretName(name: string): boolean {
  let verdict = nameVerdicts.get(name)
  if (verdict === undefined) {
    verdict = judgeName(name)
    if (nameVerdicts.size < MAX_NAME_VERDICTS) nameVerdicts.set(name, verdict)
  }
  return verdict
}

/** Masks secret shapes inside free text. */
export function scrubText(text: string): string {
  if (!SHAPE_HINT.test(text)) return text
  let scrubbed = text
  for (const { shape, replacement } of SECRET_SHAPES) scrubbed = scrubbed.replace(shape, replacement)
  return scrubbed
}

function isBody(value: object): boolean {
  return (
    (typeof Request !== 'undefined' && value instanceof Request) ||
    (typeof Response !== 'undefined' && value instanceof Response) ||
    (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) ||
    (typeof FormData !== 'undefined' && value instanceof FormData) ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value)
  )
}

/**
 * A copy of `value` safe to log: secret-named fields (recursively, in objects and arrays) are
 * replaced, secret-shaped text is masked, errors keep their name and message (and stack),
 * and request/response bodies, streams and bytes are never included.
 */
export function redact(value: unknown, depth = 0, seen?: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubText(value)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'function' || typeof value === 'symbol') return undefined
  if (value === null || typeof value !== 'object') return value
  // Made on the first object met, so a walk over plain values allocates nothing.
  seen ??= new WeakSet()
  if (seen.has(value)) return '[Circular]'
  if (depth >= MAX_DEPTH) return '[Truncated]'
  if (isBody(value)) return '[omitted body]'
  seen.add(value)
  try {
    if (value instanceof Error) {
      const error: Record<string, unknown> = { name: value.name, message: scrubText(value.message) }
      if (value.stack) error.stack = scrubText(value.stack)
      if (value.cause !== undefined) error.cause = redact(value.cause, depth + 1, seen)
      return error
    }
    if (value instanceof Date) return value.toISOString()
    if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen))
    if (value instanceof Map) return redact(Object.fromEntries(value), depth, seen)
    if (value instanceof Headers) return redact(Object.fromEntries(value.entries()), depth, seen)
    const copy: Record<string, unknown> = {}
    for (const [name, field] of Object.entries(value)) {
      copy[name] = isSecretName(name) ? REDACTED : redact(field, depth + 1, seen)
    }
    return copy
  } finally {
    seen.delete(value)
  }
}
