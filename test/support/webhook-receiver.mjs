// A real HTTP receiver for the webhook adapter's Node unit test (notifications' delivery/webhook.unit.test.ts),
// in plain JS: the Workers typecheck has no Node types; webhook-receiver.d.mts types it. Listens on 127.0.0.1, a free port.
import { createServer } from 'node:http'

/** Paths: /ok → 200, /fail → 500, /redirect → 302 to /landing, /huge → 200 with an endless body, /hang → never answers. */
export async function startReceiver() {
  const requests = []
  const hits = new Map()
  let hugeBodyAborted = false
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname
    hits.set(path, (hits.get(path) ?? 0) + 1)
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      requests.push({ path, method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      if (path === '/ok') return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"accepted":true}')
      if (path === '/fail') return res.writeHead(500, { 'Content-Type': 'text/plain' }).end('receiver broke')
      if (path === '/redirect') return res.writeHead(302, { Location: '/landing' }).end()
      if (path === '/landing') return res.writeHead(200).end('followed')
      if (path === '/huge') return streamForever(res, () => (hugeBodyAborted = true))
      if (path === '/hang') return // holds the request open until the client gives up
      res.writeHead(404).end()
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    hits: (path) => hits.get(path) ?? 0,
    hugeBodyAborted: () => hugeBodyAborted,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** 200 and 16 KiB chunks for as long as the client reads; notes when the client hangs up. */
function streamForever(res, onAbort) {
  const chunk = Buffer.alloc(16 * 1024, 'x')
  res.writeHead(200, { 'Content-Type': 'text/plain' })
  res.on('close', () => {
    if (!res.writableFinished) onAbort()
  })
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump)
  }
  pump()
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort() {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(() => resolve()))
  return port
}
