// The Workers' tsconfig has no Node types (and should not: they would bring Node globals into
// Worker code). The Workers run with `nodejs_compat`, which provides this one Node API; this is
// the part of its type the telemetry code uses.
declare module 'node:async_hooks' {
  export class AsyncLocalStorage<T> {
    run<R>(store: T, callback: () => R): R
    getStore(): T | undefined
  }
}
