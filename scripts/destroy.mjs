// `npm run destroy -- --env staging [--yes]`: removes the environment's Workers and resources,
// after a confirmation. Production also needs --production ("I mean it"). The configs lose the
// ids and key records of that environment, so a later deploy starts afresh.
import { createInterface } from 'node:readline/promises'
import { parseArgs, main } from './deploy/args.mjs'
import { queueExists, requireLogin } from './deploy/account.mjs'
import { buildPlan } from './deploy/plan.mjs'
import { editFile, varEdit } from './deploy/toml-edit.mjs'
import { createWrangler, parseJson } from './deploy/wrangler.mjs'

const USAGE = 'usage: npm run destroy -- --env staging|production [--yes] [--production]'
const RECORDED_VARS = [
  'GATEWAY_PUBLIC_KEY',
  'JWT_PUBLIC_KEY',
  'SERVICE_PUBLIC_KEY',
  'JWT_PREVIOUS_PUBLIC_KEY',
  'GATEWAY_PUBLIC_KEYS',
  'TRUSTED_CALLERS',
]

async function confirmed(env) {
  if (!process.stdin.isTTY) return false
  const prompt = createInterface({ input: process.stdin, output: process.stdout })
  const answer = await prompt.question(
    `This deletes every Worker, database (with its data), queue and KV namespace of ${env}. Type "${env}" to go on: `,
  )
  prompt.close()
  return answer.trim() === env
}

const gone = (output) => /does not exist|not found|10007|10090/i.test(output)

function forgetRecords(plan) {
  for (const { file, config } of plan.workers) {
    const edits = [
      ...config.d1_databases.map((db) => ({
        header: `[[env.${plan.env}.d1_databases]]`,
        match: `database_name = ${JSON.stringify(db.database_name)}`,
        key: 'database_id',
        remove: true,
      })),
      ...config.kv_namespaces.map((kv) => ({
        header: `[[env.${plan.env}.kv_namespaces]]`,
        match: `binding = ${JSON.stringify(kv.binding)}`,
        key: 'id',
        remove: true,
      })),
      ...RECORDED_VARS.filter((name) => name in config.vars).map((name) => varEdit(plan.env, name, null)),
    ]
    editFile(file, edits)
  }
}

await main(async () => {
  const options = parseArgs(process.argv.slice(2), { flags: ['yes', 'production', 'verbose'], usage: USAGE })
  if (options.env === 'production' && !options.production) throw new Error('refusing to destroy production without --production')
  const plan = buildPlan(options.env)
  if (!options.yes && !(await confirmed(options.env))) throw new Error('not confirmed: nothing was deleted (--yes skips the question)')
  const run = createWrangler({ verbose: options.verbose })
  requireLogin(run)
  for (const { worker, script } of [...plan.deploys].reverse()) {
    const file = plan.workers.find(({ name }) => name === worker).file
    const deleted = run(['delete', '--env', options.env, '-c', file, '--force'], { allowFailure: true })
    if (!deleted.ok && !gone(deleted.output)) throw new Error(`deleting ${script} failed:\n${deleted.output.trim()}`)
    console.log(`  deleted Worker ${script}`)
  }
  const namespaces = new Map(parseJson(run(['kv', 'namespace', 'list']).stdout).map((ns) => [ns.title, ns.id]))
  const databases = new Set(parseJson(run(['d1', 'list', '--json']).stdout).map((db) => db.name))
  for (const resource of plan.resources) {
    if (resource.kind === 'queue' && queueExists(run, resource.name)) run(['queues', 'delete', resource.name])
    else if (resource.kind === 'kv' && namespaces.has(resource.name))
      run(['kv', 'namespace', 'delete', '--namespace-id', namespaces.get(resource.name), '-y'])
    else if (resource.kind === 'd1' && databases.has(resource.name)) run(['d1', 'delete', resource.name, '-y'])
    else continue
    console.log(`  deleted ${resource.kind === 'd1' ? 'D1 database' : resource.kind === 'kv' ? 'KV namespace' : 'queue'} ${resource.name}`)
  }
  forgetRecords(plan)
  console.log(`\n${options.env} is gone; its ids and key records are removed from the wrangler.toml files.`)
  return 0
})
