import { SpanKind, withSpan } from './trace-context'

// A Durable Object's state with its storage calls traced, each span naming the object's class
// (`do.class`), so that operations can be counted per class: the tracing library's own storage
// spans reach only objects that are not `DurableObject` subclasses, and name no class.

const ASYNC_OPERATIONS = new Set(['get', 'put', 'delete', 'deleteAll', 'list', 'getAlarm', 'setAlarm', 'deleteAlarm'])
const SYNC_OPERATIONS = new Set(['get', 'put', 'delete', 'list'])

/** How many keys a call names: `get([a, b])` 2, `put({ a, b })` 2, `put(a, v)` 1. */
function keyCount(operation: string, args: unknown[]): number {
  const [first] = args
  if (Array.isArray(first)) return first.length
  if (operation === 'put' && typeof first === 'object' && first !== null) return Object.keys(first).length
  return typeof first === 'string' ? 1 : 0
}

function traced<T extends object>(target: T, operations: Set<string>, className: string, api: string): T {
  return new Proxy(target, {
    get(object, prop) {
      const value = Reflect.get(object, prop, object) as unknown
      if (typeof value !== 'function') return value
      const operation = String(prop)
      if (!operations.has(operation)) return value.bind(object)
      return (...args: unknown[]) => {
        const attributes = {
          'db.system': 'Cloudflare DO',
          'db.operation': operation,
          'do.class': className,
          'do.storage.api': api,
          'do.storage.keys': keyCount(operation, args),
        }
        return withSpan(`Durable Object Storage ${operation}`, { kind: SpanKind.CLIENT, attributes }, () =>
          (value as (...a: unknown[]) => unknown).apply(object, args),
        )
      }
    },
  })
}

/** `state` whose storage calls (async and the synchronous `kv`) are spans naming `className`. */
export function tracedState(state: DurableObjectState, className: string): DurableObjectState {
  const original = state.storage
  let kv: object | undefined
  const storage = new Proxy(traced(original, ASYNC_OPERATIONS, className, 'async'), {
    get(target, prop) {
      if (prop !== 'kv') return Reflect.get(target, prop)
      kv ??= traced(original.kv, SYNC_OPERATIONS, className, 'kv')
      return kv
    },
  })
  return new Proxy(state, {
    get(target, prop) {
      if (prop === 'storage') return storage
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
