import { context, type Context } from '@opentelemetry/api'
import { exportSpans, instrument, instrumentDO, type ResolveConfigFn } from '@microlabs/otel-cf-workers'
import { withD1Meta } from './d1-meta'
import { SpanKind, withSpan } from './trace-context'
import { tracedState } from './traced-state'
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
  const tracedHandler = () =>
    (traced ??= instrument(withMetaEnv(handler) as Handler<Record<string, unknown>>, configFor(service)) as Handler<E>)
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

/** The handler's functions given the traced env with D1's `first()` rows recorded (d1-meta.ts). */
// biome-ignore lint/suspicious/noExplicitAny: any Worker's handler.
function withMetaEnv(handler: Handler<any>): Handler<Record<string, unknown>> {
  const wrapped: Handler<Record<string, unknown>> = {}
  if (handler.fetch) wrapped.fetch = (request, env, ctx) => handler.fetch!(request, withD1Meta(env), ctx)
  if (handler.queue) wrapped.queue = (batch, env, ctx) => handler.queue!(batch, withD1Meta(env), ctx)
  if (handler.scheduled) wrapped.scheduled = (controller, env, ctx) => handler.scheduled!(controller, withD1Meta(env), ctx)
  return wrapped
}

/**
 * Every call into the object (an RPC method, fetch, alarm) in a SERVER span naming its class and
 * method (`do.class`, `do.method`): one span per billed Durable Object request. Calls the object
 * makes to itself are not wrapped.
 */
function tracedInstance<T extends object>(instance: T, className: string, idName: string | undefined): T {
  return new Proxy(instance, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown
      if (typeof value !== 'function' || prop === 'constructor' || typeof prop === 'symbol') return value
      return (...args: unknown[]) => {
        const attributes = { 'do.class': className, 'do.method': prop, ...(idName ? { 'do.id.name': idName } : {}) }
        return withSpan(`${className}.${prop}`, { kind: SpanKind.SERVER, attributes }, () =>
          (value as (...a: unknown[]) => unknown).apply(target, args),
        )
      }
    },
  })
}

/**
 * Wraps a Durable Object class: fetch and alarm get spans, every call into the object a span
 * naming its class and method, its storage calls client spans naming its class (traced-state.ts),
 * its env's bindings client spans (D1, queues, KV, service bindings); and every method runs with
 * the tracing configuration active, so the spans the object starts itself (trace-context.ts, with
 * the caller's traceparent as parent) are recorded and exported.
 */
export function instrumentDurableObject<C extends AnyDOClass>(service: string, doClass: C, className = doClass.name): C {
  // The library's wrapper is built once per class, not per activation. Its constructor is handed
  // a wrapped state, but the runtime's base class takes only the real one: construction is
  // synchronous, so the real state is passed alongside in `constructing`.
  let constructing: DurableObjectState | undefined
  let instrumented: (new (...a: unknown[]) => object) | undefined
  const traced = () => {
    // Not a DurableObject subclass, so the library hands it the env with its bindings traced
    // (a subclass would get the plain one); it builds the real object with that env, then gives
    // it a state whose storage is traced per class (calls the real object's constructor makes on
    // its state go untraced).
    function Traced(_state: unknown, tracedEnv: object) {
      const state = constructing as DurableObjectState
      const instance = Reflect.construct(doClass, [state, withD1Meta(tracedEnv)]) as object
      Object.defineProperty(instance, 'ctx', { value: tracedState(state, className), configurable: true, writable: true })
      return tracedInstance(instance, className, state.id.name)
    }
    instrumented ??= instrumentDO(Traced as never, configFor(service)) as unknown as new (...a: unknown[]) => object
    return instrumented
  }
  return new Proxy(doClass, {
    construct(target, args, newTarget) {
      const [state, env] = args as [DurableObjectState, object]
      if (!tracingEnabled(env)) return Reflect.construct(target, args, newTarget) as object
      constructing = state
      try {
        return Reflect.construct(traced(), args) as object
      } finally {
        constructing = undefined
      }
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
        captured = { context: context.active(), env: withD1Meta(tracedEnv) }
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
