import { decodeJwt } from 'jose'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { withSpan } from './trace-context'
import { flushAfter, tracingBase } from './tracing'

// biome-ignore lint/suspicious/noExplicitAny: a mixin's constructor must accept whatever its base class takes.
type EntrypointClass = new (...args: any[]) => object

function traceparentClaim(credential: unknown): string | undefined {
  if (typeof credential !== 'string') return undefined
  try {
    const tp = decodeJwt(credential).tp
    return typeof tp === 'string' ? tp : undefined
  } catch {
    return undefined
  }
}

/**
 * Traces an RPC entrypoint (a `WorkerEntrypoint` behind a service binding), which the library
 * does not wrap: each method runs in a SERVER span (`rpc.*` attributes) that continues the
 * caller's trace from the `tp` claim of the service credential every method takes first, and
 * is exported after the call answers. The claim is read before the method verifies the
 * credential: a forged one is rejected by the method all the same, and only Workers holding a
 * service binding can call at all. A `Result` with `ok: false` marks the span as an error.
 */
export function traceEntrypoint<C extends EntrypointClass>(service: string, rpcService: string, entrypoint: C): C {
  const traced = class extends entrypoint {}
  for (const name of Object.getOwnPropertyNames(entrypoint.prototype)) {
    const method = (entrypoint.prototype as Record<string, unknown>)[name]
    if (name === 'constructor' || typeof method !== 'function') continue
    Object.defineProperty(traced.prototype, name, {
      configurable: true,
      writable: true,
      value: function tracedMethod(this: { env: object; ctx: ExecutionContext }, ...args: unknown[]) {
        const base = tracingBase(service, this.env)
        if (!base) return method.apply(this, args)
        let traceId: string | undefined
        const options = {
          kind: SpanKind.SERVER,
          base: base.context,
          parent: traceparentClaim(args[0]),
          attributes: { 'rpc.system': 'cloudflare_workers_rpc', 'rpc.service': rpcService, 'rpc.method': name },
        }
        return withSpan(`${rpcService}/${name}`, options, async (span) => {
          traceId = span?.spanContext().traceId
          // The method sees the env with its bindings traced (its D1 queries become client spans).
          const traced = Object.create(this, { env: { value: base.env, enumerable: true } }) as object
          const result = (await method.apply(traced, args)) as unknown
          const failed = result as { ok?: unknown; error?: { code?: unknown } } | null
          if (span && failed?.ok === false) {
            span.setAttribute('error.type', String(failed.error?.code ?? 'error'))
            span.setStatus({ code: SpanStatusCode.ERROR, message: String(failed.error?.code ?? '') })
          }
          return result
        }).finally(() => flushAfter(this.ctx, this.env, traceId))
      },
    })
  }
  return traced
}
