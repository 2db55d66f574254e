import { describe, expect, it } from 'vitest'
import { REPLAY_WINDOW_MS } from '../../../../platform/events/retention'
import { maintainInventory } from './maintenance'
import { testEnv } from '../../../../test/support/inventory'

const DAY = 24 * 60 * 60 * 1000

async function requestRecord(createdAt: number): Promise<string> {
  const key = `ord_${crypto.randomUUID()}:reserve_inventory`
  await testEnv.DB.prepare(
    "INSERT INTO rpc_requests (caller, key, operation, fingerprint, result, created_at) VALUES ('orders', ?1, 'reserve', 'f', '{\"ok\":true}', ?2)",
  )
    .bind(key, new Date(createdAt).toISOString())
    .run()
  return key
}

const exists = async (key: string) => (await testEnv.DB.prepare('SELECT 1 FROM rpc_requests WHERE key = ?1').bind(key).first()) !== null

describe("inventory's retention", () => {
  it('RPC request records go after their 24-hour replay window, younger ones stay', async () => {
    const now = Date.now()
    const old = await requestRecord(now - REPLAY_WINDOW_MS - 1_000)
    const young = await requestRecord(now - REPLAY_WINDOW_MS + 60_000)
    await maintainInventory(testEnv, now)
    expect([await exists(old), await exists(young)]).toEqual([false, true])
  })

  it('sent outbox rows go after the event window', async () => {
    const now = Date.now()
    const id = crypto.randomUUID()
    const at = new Date(now - 8 * DAY).toISOString()
    await testEnv.DB.prepare(
      "INSERT INTO outbox (id, type, envelope, created_at, sent_at) VALUES (?1, 'com.edgecommerce.stock.changed.v1', '{}', ?2, ?2)",
    )
      .bind(id, at)
      .run()
    await maintainInventory(testEnv, now)
    expect(await testEnv.DB.prepare('SELECT 1 FROM outbox WHERE id = ?1').bind(id).first()).toBeNull()
  })
})
