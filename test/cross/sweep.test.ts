import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import gateway from '../../workers/gateway/src/index'
import type { Env } from '../../workers/gateway/src/env'
import { gatewayServices } from '../../workers/gateway/src/services'
import { sweepServices } from '../../workers/gateway/src/sweep'
import { SERVICES } from '../../shared-contracts/routes'
import { isSent, pendingOutboxRow } from './sweep'

const gatewayEnv: Env = env
const OUTBOX_SERVICES = ['users', 'inventory', 'payments', 'orders'] as const

// The environment's one cron trigger is the gateway's; every service sweeps when it asks.
describe("the gateway's scheduled sweep", () => {
  it('asks every service for its sweep over its service binding, and each does its work', async () => {
    const rows = await Promise.all(OUTBOX_SERVICES.map(async (service) => [service, await pendingOutboxRow(service)] as const))
    const ctx = createExecutionContext()
    gateway.scheduled!(createScheduledController({ cron: '* * * * *', scheduledTime: Date.now() }), gatewayEnv, ctx)
    await waitOnExecutionContext(ctx)
    for (const [service, id] of rows) expect(await isSent(service, id), service).toBe(true)
  })

  it('hears a report from each of the five services', async () => {
    const outcomes = await sweepServices(gatewayServices(gatewayEnv), Date.now())
    expect(outcomes.map((outcome) => outcome.service)).toEqual(SERVICES)
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true)
    const notifications = outcomes.find((outcome) => outcome.service === 'notifications')
    expect(notifications).toMatchObject({ report: { deliveries_attempted: expect.any(Number), deliveries_delivered: expect.any(Number) } })
  })
})
