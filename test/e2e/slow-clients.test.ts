import { connect } from 'node:net'
import { describe, expect, it, inject } from 'vitest'
import { api, signUp, uniqueIp } from './client'
import { adminToken } from './shop'

// Through the running system over real sockets, as a hostile client would: a body that trickles
// one byte at a time is refused without waiting for it where the request is refused anyway, and
// answered 408 after the client deadline (10 s) where it would be handled — while other users
// are served and the breakers stay closed.
const { hostname, port } = new URL(inject('baseUrl'))

interface RawAnswer {
  status: number
  code: string | undefined
}

/** Sends a chunked request whose body arrives one byte every `everyMs` and never ends; answers the status line and problem code. */
function trickling(path: string, headers: Record<string, string> = {}, everyMs = 200): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const lines = Object.entries({
        Host: hostname,
        'Content-Type': 'application/json',
        'Transfer-Encoding': 'chunked',
        'CF-Connecting-IP': uniqueIp(),
        ...headers,
      })
      socket.write(`POST ${path} HTTP/1.1\r\n${lines.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`)
    })
    const timer = setInterval(() => socket.write('1\r\n \r\n'), everyMs)
    let received = ''
    socket.on('data', (data) => {
      received += String(data)
      const code = /"code":"(\w+)"/.exec(received)?.[1]
      if (!code) return
      clearInterval(timer)
      socket.destroy()
      resolve({ status: Number(received.split(' ')[1]), code })
    })
    socket.on('error', (error) => {
      clearInterval(timer)
      reject(error)
    })
  })
}

describe('slow clients against the running system', () => {
  it('answers refused requests with a trickling body at once: unknown path, no token, bad token', async () => {
    // Each of these waits for nothing: were the body read, no answer could come before the test's time.
    expect(await trickling('/api/v1/nothing')).toEqual({ status: 404, code: 'not_found' })
    expect(await trickling('/api/v1/orders')).toEqual({ status: 401, code: 'unauthenticated' })
    expect(await trickling('/api/v1/orders', { Authorization: 'Bearer aaaa.bbbb.cccc' })).toEqual({ status: 401, code: 'unauthenticated' })
  })

  it('answers stalled uploads with 408 after the client deadline, serves other users meanwhile, and opens no breaker', async () => {
    const customer = await signUp('Slow E2E')
    const slow = [
      ...Array.from({ length: 6 }, () => trickling('/api/v1/auth/login', {}, 1_000)),
      ...Array.from({ length: 6 }, () =>
        trickling('/api/v1/orders', { Authorization: `Bearer ${customer.token}`, 'Idempotency-Key': crypto.randomUUID() }, 1_000),
      ),
    ]
    const meanwhile = await api('GET', '/api/v1/orders', { token: customer.token })
    expect(meanwhile.status).toBe(200)
    for (const answer of await Promise.all(slow)) expect(answer).toEqual({ status: 408, code: 'request_timeout' })
    const breakers = await api<{ items: Array<{ service: string; state: string }> }>('GET', '/api/v1/admin/circuit-breakers', {
      token: await adminToken(),
    })
    expect(breakers.body.items.filter((item) => item.service === 'users' || item.service === 'orders').map((item) => item.state)).toEqual([
      'closed',
      'closed',
    ])
    expect((await api('GET', '/api/v1/users/me', { token: customer.token })).status).toBe(200)
  }, 60_000)
})
