import { Hono } from 'hono'

/**
 * `/health` says the isolate answers; `/ready` says its dependencies (its D1) answer too.
 * Both sit behind the gateway credential like every other internal route.
 */
export function healthRoutes<E extends { Bindings: object }>(service: string, isReady: (env: E['Bindings']) => Promise<boolean>): Hono<E> {
  const routes = new Hono<E>()
  routes.get('/health', (c) => c.json({ status: 'ok', service }))
  routes.get('/ready', async (c) => {
    const ready = await isReady(c.env).catch(() => false)
    return c.json({ status: ready ? 'ok' : 'down', service }, ready ? 200 : 503)
  })
  return routes
}

/** Readiness of a D1 database: a trivial query answers. */
export async function d1Ready(db: D1Database): Promise<boolean> {
  const row = await db.prepare('SELECT 1 AS ok').first<{ ok: number }>()
  return row?.ok === 1
}
