import { Hono } from 'hono'

// Nothing but routing and a small JSON body: what any Worker pays at the least.
const app = new Hono()
app.get('/', (c) => c.json({ hello: 'world' }))

export default app
