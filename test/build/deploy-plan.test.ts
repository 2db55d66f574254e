// `npm run deploy -- --dry-run`: the complete plan, read from scripts/workers.mjs and the configs.
import { describe, expect, it } from 'vitest'
import { unstable_readConfig } from 'wrangler'
import { d1BindingsOf, WORKERS } from '../../scripts/workers.mjs'
import { buildPlan, databaseName, ENVIRONMENTS } from '../../scripts/deploy/plan.mjs'
import { sandbox } from './deploy-sandbox'

describe.each(ENVIRONMENTS)('the %s plan', (env) => {
  const plan = buildPlan(env)
  const configs = WORKERS.map((worker) => ({
    ...worker,
    read: unstable_readConfig({ config: worker.config, env }, { hideWarnings: true }),
  }))

  it('deploys every Worker once, each after the Workers its service bindings name, the gateway last', () => {
    expect(plan.deploys.map((deploy) => deploy.worker).sort()).toEqual(WORKERS.map((worker) => worker.name).sort())
    const position = new Map(plan.deploys.map((deploy, index) => [deploy.script, index]))
    for (const { read } of configs)
      for (const binding of read.services ?? []) expect(position.get(binding.service)).toBeLessThan(position.get(read.name)!)
    expect(plan.deploys.at(-1)).toEqual({ worker: 'gateway', script: `gateway-${env}` })
  })

  it('has every database, KV namespace and queue of the configs, named with the environment, and a migration per database', async () => {
    const named = (kind: string) =>
      plan.resources.filter((resource: { kind: string }) => resource.kind === kind).map((resource: { name: string }) => resource.name)
    // One per D1 binding: a sharded database's every shard (orders: DB and DB_1).
    const databases = await Promise.all(
      WORKERS.filter((w) => w.database).map(async (w) =>
        (await d1BindingsOf(w.name)).map((binding) => databaseName(w.database!, binding, env)),
      ),
    )
    expect(databases.flat()).toContain(`edge-commerce-orders-1-${env}`)
    expect(named('d1').sort()).toEqual(databases.flat().sort())
    expect(named('kv')).toEqual([`edge-commerce-inventory-cache-${env}`])
    const queues = new Set(
      configs.flatMap(({ read }) => [
        ...(read.queues.producers ?? []).map((q: { queue: string }) => q.queue),
        ...(read.queues.consumers ?? []).flatMap((q: { queue: string; dead_letter_queue?: string }) => [
          q.queue,
          ...(q.dead_letter_queue ? [q.dead_letter_queue] : []),
        ]),
      ]),
    )
    expect(named('queue').sort()).toEqual([...queues].sort())
    for (const name of plan.resources.map((resource: { name: string }) => resource.name))
      expect(name).toMatch(new RegExp(`^edge-commerce-.+-${env}$`))
    expect(plan.migrations.map((m: { database: string }) => m.database).sort()).toEqual(named('d1').sort())
  })

  it('sets each private key as a secret on the one Worker that signs with it', () => {
    const secrets = Object.fromEntries(plan.secrets.map(({ worker, names }: { worker: string; names: string[] }) => [worker, names]))
    expect(secrets).toEqual({
      gateway: ['GATEWAY_PRIVATE_KEY'],
      users: ['JWT_PRIVATE_KEY'],
      inventory: [],
      payments: [],
      notifications: [],
      orders: ['SERVICE_PRIVATE_KEY'],
    })
  })
})

it('--dry-run prints every resource, secret, migration and deploy, and calls nothing (a stand-in wrangler records no call)', {
  timeout: 120_000,
}, () => {
  const box = sandbox()
  const result = box.run('deploy.mjs', ['--env', 'staging', '--dry-run'], {
    STAGING_OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example',
    STAGING_OTEL_EXPORTER_OTLP_HEADERS: 'x-key=not-printed-value',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
  })
  expect(result.status, result.output).toBe(0)
  expect(box.newCalls()).toEqual([])
  for (const resource of buildPlan('staging').resources) expect(result.output).toContain(resource.name)
  for (const worker of WORKERS) expect(result.output).toMatch(new RegExp(`\\d\\. deploy ${worker.name}-staging`))
  expect(result.output).toContain('gateway-staging: GATEWAY_PRIVATE_KEY, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS')
  expect(result.output).toContain('migrate edge-commerce-orders-staging (binding DB, remote)')
  expect(result.output).not.toContain('not-printed-value')
})
