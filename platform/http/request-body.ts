import type { VarsOf } from '../env/config'
import { durationMsVar, intVar } from '../env/vars'
import type { Context, MiddlewareHandler } from 'hono'
import { fail, ok, type Result } from '../../shared-contracts/errors'
import { problem } from '../errors/problem'
import { isTimeout, withTimeout } from '../resilience/timeout'

/** How much of a request body is read, and for how long, before the request is refused. */
export interface BodyLimits {
  /** The largest body accepted, in bytes (413 `payload_too_large` beyond it). */
  maxBytes: number
  /** The whole body must have arrived this long after reading began (408 `request_timeout` otherwise). */
  deadlineMs: number
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxBytes: 1024 * 1024, deadlineMs: 10_000 }

/** The vars that set the limits (part of every Worker's config); absent, the defaults above. */
export const BODY_LIMIT_VARS = {
  MAX_BODY_BYTES: intVar(DEFAULT_BODY_LIMITS.maxBytes),
  CLIENT_BODY_TIMEOUT_MS: durationMsVar(DEFAULT_BODY_LIMITS.deadlineMs),
}

export const bodyLimitsOf = (vars: VarsOf<typeof BODY_LIMIT_VARS>): BodyLimits => ({
  maxBytes: vars.MAX_BODY_BYTES,
  deadlineMs: vars.CLIENT_BODY_TIMEOUT_MS,
})

/** What the body stage reads from the Worker's config (`c.var.config`, ../http/config.ts). */
export interface BodyLimitsConfig {
  bodyLimits: BodyLimits
}

const tooLarge = (limits: BodyLimits) => fail({ code: 'payload_too_large' as const, detail: `Send at most ${limits.maxBytes} bytes.` })

async function readAll(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limits: BodyLimits,
  signal: AbortSignal,
): Promise<Result<Uint8Array[]>> {
  const chunks: Uint8Array[] = []
  let total = 0
  while (!signal.aborted) {
    const { done, value } = await reader.read()
    if (done) return ok(chunks)
    total += value.byteLength
    if (total > limits.maxBytes) return tooLarge(limits)
    chunks.push(value)
  }
  return ok(chunks)
}

function joined(chunks: Uint8Array[]): ArrayBuffer | null {
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)
  if (total === 0) return null
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes.buffer
}

/**
 * Reads a request body in full, within `limits`: a declared `Content-Length` over the limit is
 * refused before a byte is read; a streamed body is refused as soon as it passes the limit; a
 * body that has not arrived in full by the deadline (a slow or stalled client) is a 408. The
 * stream is cancelled whenever the body is refused. `null` when there is no body.
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<Result<ArrayBuffer | null>> {
  const declared = request.headers.get('Content-Length')
  if (declared !== null && Number(declared) > limits.maxBytes) {
    await request.body?.cancel().catch(() => undefined)
    return tooLarge(limits)
  }
  if (request.body === null) return ok(null)
  const reader = request.body.getReader()
  let read: Result<Uint8Array[]>
  try {
    read = await withTimeout(limits.deadlineMs, (signal) => readAll(reader, limits, signal))
  } catch (error) {
    read = isTimeout(error)
      ? fail({ code: 'request_timeout', detail: `The request body did not arrive within ${limits.deadlineMs} ms.` })
      : fail({ code: 'request_timeout', detail: 'The request body did not arrive in full.' })
  }
  if (!read.ok) {
    await reader.cancel().catch(() => undefined)
    return read
  }
  return ok(joined(read.value))
}

/** Whether a request carries a body (a stream, or a declared length): only such a request has a body stage. */
export const carriesBody = (request: Request) => request.body !== null || request.headers.has('Content-Length')

/**
 * Buffers the body of every request that has one, within the limits of the Worker's config
 * (`MAX_BODY_BYTES`, `CLIENT_BODY_TIMEOUT_MS`), and answers 413 or 408 problem+json otherwise.
 * What runs after it sees the whole body at once: no later step (a handler, a forwarded call and
 * its timeout) ever waits on the client.
 */
export function requestBody(): MiddlewareHandler<{ Variables: { config: BodyLimitsConfig } }> {
  return async function requestBody(c: Context<{ Variables: { config: BodyLimitsConfig } }>, next) {
    const raw = c.req.raw
    if (!carriesBody(raw)) return next()
    const body = await readBody(raw, c.get('config').bodyLimits)
    if (!body.ok) return problem(c, body.error)
    c.req.raw = new Request(raw, { body: body.value })
    await next()
  }
}

/**
 * Lets go of a body nothing read: a request refused before its body stage (an unknown path, a
 * bad token, a spent quota) has its stream cancelled, so the runtime sends the answer at once
 * instead of first draining whatever the client is still trickling. Put it first.
 */
export function releaseUnreadBody(): MiddlewareHandler {
  return async function releaseUnreadBody(c, next) {
    const original = c.req.raw
    await next()
    if (original.body !== null && !original.bodyUsed) await original.body.cancel().catch(() => undefined)
  }
}
