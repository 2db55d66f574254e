/**
 * Concurrent loads of one key share one promise: the first caller runs the load, the others
 * wait for it. The promise is forgotten once settled, success or failure, so a failed load is
 * never cached and the next caller tries again.
 */
export type SingleFlight<V> = (key: string, load: () => Promise<V>) => Promise<V>

export function singleFlight<V>(): SingleFlight<V> {
  const inFlight = new Map<string, Promise<V>>()
  return function shared(key, load) {
    const running = inFlight.get(key)
    if (running) return running
    const promise = (async () => {
      try {
        return await load()
      } finally {
        inFlight.delete(key)
      }
    })()
    inFlight.set(key, promise)
    return promise
  }
}
