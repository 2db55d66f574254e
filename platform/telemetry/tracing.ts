import { context, type Context } from '@opentelemetry/api'
import { exportSpans, instrument, instrumentDO, type ResolveConfigFn } from '@microlabs/otel-cf-workers'
import { traceConfig, tracingEnabled, type TracingVars } from './tracing-config'

// One place that turns tracing on for a Worker and its Durable Objects (issue 6). With no
// OTEL_EXPORTER_OTLP_ENDPOINT the original handler runs untouched: the library would otherwise
// still create spans, proxy every binding and buffer per request for nothing.

type Handler<E> = ExportedHandler<E>
type AnyDOClass = new (ctx: DurableObjectState, env: never) => object

const configFor =
  (service: string): ResolveConfigFn =>
  (env: TracingVars) =>
    traceConfig(service, env)

/**
 * Wraps a Worker's default export (fetch, queue, scheduled): a SERVER span per request (HTTP
 * semantic conventions), a consumer span per batch, a span per cron run, D1/KV/queue/service
 * binding client spans, W3C `traceparent` on outgoing fetches — all flushed in `waitUntil` after
 * the response.
 */
// biome-ignore lint/suspicious/noExplicitAny: any Worker's handler; its bindings type is recovered below.
export function instrumentWorker<H extends Handler<any>>(service: string, handler: H): H {
  type E = H extends Handler<infer Bindings> ? Bindings : never
  let traced: Handler<E> | null = null
  const tracedHandler = () => (traced ??= instrument({ ...handler } as Handler<Record<string, unknown>>, configFor(service)) as Handler<E>)
  const wrapped: Handler<E> = {}
  if (handler.fetch) {
    const plain = handler.fetch
    wrapped.fetch = (request, env, ctx) => (tracingEnabled(env) ? tracedHandler().fetch!(request, env, ctx) : plain(request, env, ctx))
  }
  if (handler.queue) {
    const plain = handler.queue
    wrapped.queue = (batch, env, ctx) => (tracingEnabled(env) ? tracedHandler().queue!(batch, env, ctx) : plain(batch, env, ctx))
  }
  if (handler.scheduled) {
    const plain = handler.scheduled
    wrapped.scheduled = (controller, env, ctx) =>
      tracingEnabled(env) ? tracedHandler().scheduled!(controller, env, ctx) : plain(controller, env, ctx)
  }
  return wrapped as H
}

/**
 * Wraps a Durable Object class: fetch and alarm get spans, storage calls client spans, and every
 * RPC method runs with the tracing configuration active, so the spans the object starts itself
 * (trace-context.ts, with the caller's traceparent as parent) are recorded and exported.
 */
export function instrumentDurableObject<C extends AnyDOClass>(service: string, doClass: C): C {
  let traced: C | null = null
  return new Proxy(doClass, {
    construct(target, args, newTarget) {
      if (!tracingEnabled(args[1])) return Reflect.construct(target, args, newTarget) as object
      traced ??= instrumentDO(target as never, configFor(service)) as unknown as C
      return Reflect.construct(traced, args) as object
    },
  })
}

const bases = new WeakMap<object, { context: Context; env: object }>()

/**
 * What spans need where the library has no handler wrapper (WorkerEntrypoint RPC methods): the
 * context carrying the library's configuration, which its tracer requires, and the env with
 * its bindings instrumented (D1, queue, KV client spans). Obtained once per env by constructing a
 * throw-away object through `instrumentDO`, the library's only public initialiser that does not
 * itself open a span. Null when tracing is off.
 */
export function tracingBase(service: string, env: object): { context: Context; env: object } | null {
  if (!tracingEnabled(env)) return null
  let base = bases.get(env)
  if (!base) {
    let captured = { context: context.active(), env }
    class Probe {
      constructor(_state: unknown, tracedEnv: object) {
        captured = { context: context.active(), env: tracedEnv }
      }
    }
    const Traced = instrumentDO(Probe as never, configFor(service)) as unknown as new (state: unknown, env: unknown) => object
    new Traced({ id: { toString: () => 'tracing-base', name: 'tracing-base' } }, env)
    base = captured
    bases.set(env, base)
  }
  return base
}

/** Exports a finished trace's spans after the call has answered (RPC methods have no wrapper doing it). */
export function flushAfter(ctx: ExecutionContext, env: object, traceId: string | undefined): void {
  if (traceId && tracingEnabled(env)) ctx.waitUntil(exportSpans(traceId).catch(() => undefined))
}
