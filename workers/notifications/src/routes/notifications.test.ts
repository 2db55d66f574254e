import { describe, expect, it } from 'vitest'
import { encodeCursor } from '../../../../shared-contracts/pagination'
import type { PublicNotification } from '../service/notification'
import {
  callNotifications,
  customer,
  deliverEvents,
  listNotifications,
  readProblem,
  userRegistered,
} from '../../../../test/support/notifications'

const minute = (n: number) => new Date(Date.UTC(2026, 10, 20, 12, n))

/** A user with six notifications; two share a time, so the id breaks the tie. */
async function userWithSix() {
  const user = customer()
  const times = [minute(1), minute(2), minute(3), minute(3), minute(4), minute(5)]
  const events = times.map((time, index) => userRegistered({ user_id: user.id, name: `Ada ${index}` }, time))
  await deliverEvents(...events)
  return { user, events }
}

describe('GET /api/v1/notifications', () => {
  it('lists the caller’s notifications newest first, 20 by default', async () => {
    const { user } = await userWithSix()
    const { items, next_cursor } = await listNotifications(user)
    expect(items).toHaveLength(6)
    expect(next_cursor).toBeNull()
    const times = items.map((item) => item.created_at)
    expect(times).toEqual([...times].sort().reverse())
    expect(Object.keys(items[0]!).sort()).toEqual(['channel', 'created_at', 'id', 'order_id', 'subject', 'type'])
  })

  it('pages through with limit and cursor: every notification once, in the same order', async () => {
    const { user } = await userWithSix()
    const all = (await listNotifications(user)).items
    const seen: PublicNotification[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = await listNotifications(user, `?limit=4${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.items.length).toBeLessThanOrEqual(4)
      seen.push(...page.items)
      cursor = page.next_cursor
      pages++
    } while (cursor)
    expect(pages).toBe(2)
    expect(seen).toEqual(all)
  })

  it('pages one at a time across equal timestamps without skipping or repeating', async () => {
    const { user } = await userWithSix()
    const ids: string[] = []
    let query = '?limit=1'
    for (;;) {
      const page = await listNotifications(user, query)
      ids.push(...page.items.map((item) => item.id))
      if (!page.next_cursor) break
      query = `?limit=1&cursor=${page.next_cursor}`
    }
    expect(ids).toHaveLength(6)
    expect(new Set(ids).size).toBe(6)
  })

  it('never shows another user’s notifications, nor follows a cursor into them', async () => {
    const first = await userWithSix()
    const second = await userWithSix()
    const page = await listNotifications(first.user, '?limit=2')
    const mine = new Set((await listNotifications(first.user)).items.map((item) => item.id))
    const theirs = await listNotifications(second.user, `?cursor=${page.next_cursor}`)
    expect(theirs.items.every((item) => !mine.has(item.id))).toBe(true)
  })

  it('answers an empty list to a user without notifications', async () => {
    expect(await listNotifications(customer())).toEqual({ items: [], next_cursor: null })
  })

  it('refuses an anonymous caller with 401 and a bearer challenge', async () => {
    const response = await callNotifications('/api/v1/notifications', { principal: null })
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
    const { status, contentType, body } = await readProblem(response)
    expect([status, contentType, body.code]).toEqual([401, 'application/problem+json', 'unauthenticated'])
  })

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=2.5', 'limit'],
    ['cursor=', 'cursor'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${encodeCursor([7, 'ntf_x'])}`, 'cursor'],
    [`cursor=${'x'.repeat(600)}`, 'cursor'],
    ['sort=asc', 'sort'],
  ])('refuses ?%s with 400 naming %s', async (query, path) => {
    const { status, contentType, body } = await readProblem(
      await callNotifications(`/api/v1/notifications?${query}`, { principal: customer() }),
    )
    expect([status, contentType, body.code]).toEqual([400, 'application/problem+json', 'validation_failed'])
    expect(body.errors?.map((error) => error.path)).toContain(path)
  })
})

describe('the Worker', () => {
  it.each([
    ['GET', '/health'],
    ['GET', '/ready'],
    ['GET', '/api/v1/notifications'],
    ['GET', '/internal/dead-letters'],
    ['POST', '/internal/dead-letters/x/replay'],
  ])('refuses %s %s without a gateway credential', async (method, path) => {
    const response = await callNotifications(path, { method, credential: null, principal: customer() })
    const { status, body } = await readProblem(response)
    expect([status, body.code]).toEqual([401, 'unauthenticated'])
    expect(response.headers.get('WWW-Authenticate')).toBe('GatewayCredential')
  })

  it('serves /health and /ready, and 404 problem+json elsewhere', async () => {
    expect(await (await callNotifications('/health')).json()).toEqual({ status: 'ok', service: 'notifications' })
    expect(await (await callNotifications('/ready')).json()).toEqual({ status: 'ok', service: 'notifications' })
    const { status, body } = await readProblem(await callNotifications('/api/v1/nope', { principal: customer() }))
    expect([status, body.code]).toEqual([404, 'not_found'])
  })
})
