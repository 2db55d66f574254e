import { Hono } from 'hono'
import { createLogger } from '../../../platform/telemetry/log'

const log = createLogger('hello')

// Nothing but routing and a small JSON body: what any Worker pays at the least. With
// REQUEST_LOG=on (the bench's `floor-log` copy only), it also writes the one structured line per
// request the gateway writes, so the report can say what that line costs in this harness.
const app = new Hono<{ Bindings: { REQUEST_LOG?: string } }>()
app.get('/', (c) => {
  if (c.env.REQUEST_LOG === 'on') log.info('request', { method: 'GET', route: '/', status: 200, duration_ms: 0 })
  return c.json({ hello: 'world' })
})

export default app
