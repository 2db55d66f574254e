// `npm run deploy -- --env staging|production [--dry-run] [--verbose] [--skip-health]`: from a logged-in wrangler
// to a running environment in one command (docs/deploying.md). Every step is found-or-made, so a
// second run creates nothing, and a run that failed goes on from where it stopped.
import { parseArgs, main } from './deploy/args.mjs'
import { ensureResources, putSecrets, requireLogin, secretNames } from './deploy/account.mjs'
import { freshKey, recordedPublicKey, verifierVars } from './deploy/keys.mjs'
import { buildPlan, readWorkers } from './deploy/plan.mjs'
import { formatPlan } from './deploy/print-plan.mjs'
import { editFile, idEdit, varEdit } from './deploy/toml-edit.mjs'
import { createWrangler } from './deploy/wrangler.mjs'

const USAGE = 'usage: npm run deploy -- --env staging|production [--dry-run] [--verbose] [--skip-health]'
/**
 * Collector settings, set as secrets on every Worker from `<ENV>_<NAME>` in the deployer's
 * shell (`STAGING_OTEL_EXPORTER_OTLP_ENDPOINT`, …): per environment, and never a local
 * collector's address left in the shell by `npm start`.
 */
const OTEL_SECRETS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS']
function otelGiven(env) {
  const given = OTEL_SECRETS.map((name) => [name, process.env[`${env.toUpperCase()}_${name}`]])
  return Object.fromEntries(given.filter(([, value]) => value))
}

const step = (title) => console.log(`\n▸ ${title}`)
const say = (line) => console.log(`  ${line}`)

function configOf(plan, worker) {
  return plan.workers.find(({ name }) => name === worker).file
}

/** Records each resource's id in its Worker's section (where wrangler reads it). */
function recordIds(plan, resources) {
  for (const resource of resources.filter((r) => r.id)) {
    const worker = plan.workers.find(({ name }) => name === resource.worker)
    if (editFile(worker.file, [idEdit(plan.env, resource)])) say(`recorded ${resource.name} in ${worker.file}`)
  }
}

/** Keeps every key pair that is present; makes the missing ones. Answers the secrets to set per Worker. */
async function ensureKeys(run, plan) {
  const pending = new Map(plan.workers.map(({ name }) => [name, {}]))
  for (const pair of plan.keyPairs) {
    const config = configOf(plan, pair.holder)
    const present = secretNames(run, plan.env, config).has(pair.secret) && recordedPublicKey(plan.workers, pair) !== null
    if (present) {
      say(`kept   ${pair.holder} ${pair.secret}`)
      continue
    }
    const key = await freshKey(pair, plan.env)
    // The record first: if setting the secret fails, the next run finds no secret and makes a new pair.
    editFile(config, [varEdit(plan.env, pair.record, JSON.stringify(key.publicJwk))])
    pending.get(pair.holder)[pair.secret] = key.secretValue
    say(`made   ${pair.holder} ${pair.secret} (kid ${key.publicJwk.kid})`)
  }
  return pending
}

/** Writes the verifiers' vars (GATEWAY_PUBLIC_KEYS, TRUSTED_CALLERS) from the recorded public keys. */
function writeVerifierVars(plan) {
  const workers = readWorkers(plan.env, plan.workers)
  const publicOf = (holder, record) => recordedPublicKey(workers, { holder, record })
  for (const [worker, vars] of Object.entries(verifierVars(workers, publicOf))) {
    const edits = Object.entries(vars).map(([key, value]) => varEdit(plan.env, key, value))
    if (edits.length > 0 && editFile(configOf(plan, worker), edits)) say(`wrote the public keys ${worker} verifies into its vars`)
  }
}

function setSecrets(run, plan, pending) {
  const otel = otelGiven(plan.env)
  for (const { name } of plan.workers) {
    const secrets = { ...pending.get(name), ...otel }
    if (Object.keys(secrets).length === 0) continue
    putSecrets(run, plan.env, configOf(plan, name), secrets)
    say(`set    ${Object.keys(secrets).join(', ')} on ${name}`)
  }
}

function assertNoMissingIds(plan) {
  const workers = readWorkers(plan.env, plan.workers)
  const missing = buildPlan(plan.env, { workers }).resources.filter((r) => r.kind !== 'queue' && !r.id)
  if (missing.length > 0) throw new Error(`no id recorded for ${missing.map((r) => r.name).join(', ')}`)
}

function migrateAndDeploy(run, plan) {
  let url = null
  for (const { worker, script } of plan.deploys) {
    const config = configOf(plan, worker)
    for (const migration of plan.migrations.filter((m) => m.worker === worker)) {
      const applied = run(['d1', 'migrations', 'apply', migration.binding, '--remote', '--env', plan.env, '-c', config])
      say(`migrated ${migration.database}${/No migrations to apply/i.test(applied.output) ? ' (already current)' : ''}`)
    }
    const deployed = run(['deploy', '--env', plan.env, '-c', config])
    url = /https:\/\/\S+\.workers\.dev/.exec(deployed.output)?.[0] ?? url
    say(`deployed ${script}`)
  }
  return url
}

async function reportHealth(url) {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) })
    say(`GET ${url}/health → ${response.status} ${JSON.stringify(await response.json())}`)
  } catch {
    say(`GET ${url}/health did not answer from here (new workers.dev names can take a minute to resolve)`)
  }
}

await main(async () => {
  const options = parseArgs(process.argv.slice(2), { flags: ['dry-run', 'verbose', 'skip-health'], usage: USAGE })
  const plan = buildPlan(options.env, { otel: Object.keys(otelGiven(options.env)) })
  if (options['dry-run']) {
    console.log(formatPlan(plan))
    console.log('\n--dry-run: nothing was called on the account.')
    return 0
  }
  const run = createWrangler({ verbose: options.verbose })
  step('Checking the wrangler login')
  const who = requireLogin(run)
  say(`logged in${who.email ? ` as ${who.email}` : ''}`)
  step(`Resources of ${plan.env}`)
  recordIds(plan, ensureResources(run, plan.resources, say))
  step('Signing keys and secrets')
  const pending = await ensureKeys(run, plan)
  writeVerifierVars(plan)
  setSecrets(run, plan, pending)
  assertNoMissingIds(plan)
  step('Migrations and deploys (service-binding targets first, the gateway last)')
  const url = migrateAndDeploy(run, { ...plan, workers: readWorkers(plan.env, plan.workers) })
  step(`${plan.env} is deployed`)
  if (url) {
    say(`the API: ${url}`)
    if (!options['skip-health']) await reportHealth(url)
  }
  say(`next: register your account, then make it the first admin: npm run admin:grant -- --env ${plan.env} <email>`)
  return 0
})
