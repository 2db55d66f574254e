import type { MiddlewareHandler } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import { problem } from '../../../../platform/errors/problem'
import type { GatewayEnv } from '../env'

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/** Refuses bodies over `MAX_BODY_BYTES` (1 MiB by default) with 413, declared or streamed. */
export function bodyLimit(): MiddlewareHandler<GatewayEnv> {
  let cached: { setting: string | undefined; handler: MiddlewareHandler } | null = null
  return async function bodyLimit(c, next) {
    const setting = c.env.MAX_BODY_BYTES
    if (!cached || cached.setting !== setting) {
      const maxSize = setting ? Number(setting) : DEFAULT_MAX_BODY_BYTES
      if (!Number.isSafeInteger(maxSize) || maxSize <= 0) throw new Error('MAX_BODY_BYTES must be a positive integer')
      cached = { setting, handler: honoBodyLimit({ maxSize, onError: (ctx) => problem(ctx, { code: 'payload_too_large' }) }) }
    }
    return cached.handler(c, next)
  }
}
