import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { requireJsonBody } from './content-type'

const app = new Hono().use(requireJsonBody()).all('*', (c) => c.text('passed'))
// A body of bytes, with the Content-Length a client sends: the middleware reads the headers only.
const post = (headers: Record<string, string>) =>
  app.request('/', { method: 'POST', body: new TextEncoder().encode('{}'), headers: { 'Content-Length': '2', ...headers } })

describe('requireJsonBody', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'APPLICATION/JSON'])(
    'lets a body sent as %s through',
    async (type) => {
      expect(await (await post({ 'Content-Type': type })).text()).toBe('passed')
    },
  )

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', ''])(
    'answers a body sent as "%s" (or without a type) 415',
    async (type) => {
      const response = await post(type ? { 'Content-Type': type } : {})
      expect(response.status).toBe(415)
      expect(response.headers.get('Content-Type')).toBe('application/problem+json')
      expect(await response.json()).toMatchObject({ code: 'unsupported_media_type', detail: 'Send the body as application/json.' })
    },
  )

  it('lets a request without a body through, whatever its Content-Type says', async () => {
    expect(await (await app.request('/', { method: 'POST', headers: { 'Content-Type': 'text/plain' } })).text()).toBe('passed')
    expect(
      await (await app.request('/', { method: 'POST', headers: { 'Content-Length': '0', 'Content-Type': 'text/plain' } })).text(),
    ).toBe('passed')
  })
})
