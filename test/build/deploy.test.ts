// `npm run deploy` end to end against a STAND-IN for the wrangler binary
// (test/support/wrangler-stand-in): it proves the script's logic — what it creates, records,
// sets and deploys, in which order, and what a second or resumed run does — not Cloudflare's.
import { describe, expect, it } from 'vitest'
import { d1BindingsOf, WORKERS } from '../../scripts/workers.mjs'
import { buildPlan, databaseName } from '../../scripts/deploy/plan.mjs'
import { creates, sandbox, secretSets, secretValues } from './deploy-sandbox'

describe('npm run deploy (with a stand-in wrangler)', { timeout: 300_000 }, () => {
  it('creates each resource once, records the ids, sets every secret, migrates and deploys; a second run creates and rotates nothing', async () => {
    const box = sandbox()
    const first = box.run('deploy.mjs', ['--env', 'staging', '--skip-health'])
    expect(first.status, first.output).toBe(0)
    const calls = box.newCalls()
    expect(calls[0]).toBe('whoami --json')
    const account = box.account()
    // One per D1 binding of each Worker (orders: its two shards), with the Worker that binds it.
    const bound = (
      await Promise.all(
        WORKERS.filter((w) => w.database).map(async (w) =>
          (await d1BindingsOf(w.name)).map((binding) => ({ worker: w, name: databaseName(w.database!, binding, 'staging') })),
        ),
      )
    ).flat()
    const databases = bound.map((db) => db.name)
    expect(account.d1.map((db) => db.name).sort()).toEqual([...databases].sort())
    expect(account.kv.map((ns) => ns.title)).toEqual(['edge-commerce-inventory-cache-staging'])
    // Every queue the configs name (deploy-plan.test.ts checks the plan against the configs).
    const queues = buildPlan('staging').resources.filter((resource: { kind: string }) => resource.kind === 'queue').length
    // A queue and its dead letters for each of the three subscribers (shared-contracts/subscriptions.ts).
    expect(queues).toBeGreaterThanOrEqual(6)
    expect(account.queues).toHaveLength(queues)
    expect(creates(calls)).toHaveLength(databases.length + 1 + queues)
    expect(new Set(creates(calls)).size).toBe(creates(calls).length)
    // Ids where wrangler reads them; nothing left to fill in.
    for (const db of account.d1) {
      const { worker } = bound.find((candidate) => candidate.name === db.name)!
      expect(box.config(worker.config)).toContain(
        `database_name = "${db.name}"\nmigrations_dir = "../../migrations/${worker.database}"\ndatabase_id = "${db.uuid}"`,
      )
    }
    expect(box.config('workers/inventory/wrangler.toml')).toContain(`binding = "CACHE"\nid = "${account.kv[0]!.id}"`)
    expect(account.secrets['gateway-staging']).toHaveProperty('GATEWAY_PRIVATE_KEY')
    expect(account.secrets['users-staging']).toHaveProperty('JWT_PRIVATE_KEY')
    expect(account.secrets['orders-staging']).toHaveProperty('SERVICE_PRIVATE_KEY')
    // The verifiers got the public halves that match the private keys.
    const gatewayKey = JSON.parse(account.secrets['gateway-staging']!.GATEWAY_PRIVATE_KEY!) as { x: string; kid: string }
    expect(box.config('workers/users/wrangler.toml')).toContain(gatewayKey.x)
    for (const service of ['users', 'inventory', 'payments', 'notifications', 'orders']) {
      expect(box.config(`workers/${service}/wrangler.toml`)).toMatch(/\[env\.staging\.vars\][^[]*GATEWAY_PUBLIC_KEYS = /)
    }
    expect(box.config('workers/inventory/wrangler.toml')).toMatch(/TRUSTED_CALLERS = "\{\\"orders\\"/)
    // Migrations before their Worker, the gateway last.
    expect(account.deployed.at(-1)).toBe('gateway-staging')
    expect(account.deployed).toHaveLength(WORKERS.length)
    for (const [key, files] of Object.entries(account.migrations)) expect(files.length, key).toBeGreaterThan(0)
    const ordersDeploy = calls.findIndex((call) => call.startsWith('deploy') && call.includes('workers/orders/'))
    const ordersMigrate = calls.findIndex((call) => call.startsWith('d1 migrations apply') && call.includes('workers/orders/'))
    const inventoryDeploy = calls.findIndex((call) => call.startsWith('deploy') && call.includes('workers/inventory/'))
    expect(ordersMigrate).toBeLessThan(ordersDeploy)
    expect(inventoryDeploy).toBeLessThan(ordersDeploy)
    expect(first.output).toContain('https://gateway-staging.stand-in.workers.dev')
    expect(first.output).toContain('npm run admin:grant -- --env staging <email>')

    const configsBefore = WORKERS.map(({ config }) => box.config(config))
    const second = box.run('deploy.mjs', ['--env', 'staging', '--skip-health'])
    expect(second.status, second.output).toBe(0)
    const again = box.newCalls()
    expect(creates(again)).toEqual([])
    expect(secretSets(again)).toEqual([])
    expect(box.account().secrets).toEqual(account.secrets)
    expect(WORKERS.map(({ config }) => box.config(config))).toEqual(configsBefore)
    expect(box.account().d1).toEqual(account.d1)

    for (const value of secretValues(box.account())) expect(box.outputs()).not.toContain(value)
    for (const value of secretValues(box.account())) for (const { config } of WORKERS) expect(box.config(config)).not.toContain(value)
  })

  it('resumes a run that failed at the migrations from there', () => {
    const box = sandbox()
    const failed = box.run('deploy.mjs', ['--env', 'production', '--skip-health'], {
      STAND_IN_FAIL: 'd1 migrations apply DB --remote --env production -c workers/orders/wrangler.toml',
    })
    expect(failed.status).toBe(1)
    expect(failed.output).toContain('d1 migrations apply DB --remote --env production')
    expect(box.account().deployed).not.toContain('orders-production')
    expect(box.account().deployed).not.toContain('gateway-production')
    box.newCalls()

    const resumed = box.run('deploy.mjs', ['--env', 'production', '--skip-health'])
    expect(resumed.status, resumed.output).toBe(0)
    const calls = box.newCalls()
    expect(creates(calls)).toEqual([])
    expect(secretSets(calls)).toEqual([])
    expect(box.account().migrations['orders-production:DB']!.length).toBeGreaterThan(0)
    expect(box.account().deployed.at(-1)).toBe('gateway-production')
    expect(resumed.output).toMatch(/migrated edge-commerce-users-production \(already current\)/)
    for (const value of secretValues(box.account())) expect(box.outputs()).not.toContain(value)
  })

  it('says what is missing when wrangler is not logged in, and calls nothing else', () => {
    const box = sandbox()
    const result = box.run('deploy.mjs', ['--env', 'staging'], { STAND_IN_LOGGED_OUT: '1' })
    expect(result.status).toBe(1)
    expect(result.output).toMatch(/not logged in.*wrangler login.*CLOUDFLARE_API_TOKEN/s)
    expect(box.newCalls()).toEqual(['whoami --json'])
  })

  it('refuses an unknown environment with its usage', () => {
    const result = sandbox().run('deploy.mjs', ['--env', 'prod'])
    expect(result.status).toBe(1)
    expect(result.output).toContain('--env must be one of staging, production')
  })
})
