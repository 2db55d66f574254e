// `npm run keys:rotate -- --env <env> [--finish]`: rotates the access-token signing key with no
// downtime. The current public key becomes JWT_PREVIOUS_PUBLIC_KEY (still published, so tokens
// signed before keep verifying), a new private key is set, and users is deployed with both.
// After the token lifetime (15 minutes) `--finish` stops publishing the previous key.
import { parseArgs, main } from './deploy/args.mjs'
import { putSecrets, requireLogin } from './deploy/account.mjs'
import { freshKey, keyPairsFor, recordedPublicKey } from './deploy/keys.mjs'
import { readWorkers } from './deploy/plan.mjs'
import { editFile, varEdit } from './deploy/toml-edit.mjs'
import { createWrangler } from './deploy/wrangler.mjs'

const USAGE = 'usage: npm run keys:rotate -- --env staging|production [--finish]'

await main(async () => {
  const options = parseArgs(process.argv.slice(2), { flags: ['finish', 'verbose'], usage: USAGE })
  const { env } = options
  const workers = readWorkers(env)
  const pair = keyPairsFor(workers).find(({ secret }) => secret === 'JWT_PRIVATE_KEY')
  const users = workers.find(({ name }) => name === pair.holder)
  const run = createWrangler({ verbose: options.verbose })
  requireLogin(run)
  const deployUsers = () => run(['deploy', '--env', env, '-c', users.file])
  if (options.finish) {
    editFile(users.file, [varEdit(env, 'JWT_PREVIOUS_PUBLIC_KEY', null)])
    deployUsers()
    console.log(`${env}: the previous token key is no longer published.`)
    return 0
  }
  const current = recordedPublicKey(workers, pair)
  if (!current)
    throw new Error(`no token key recorded for ${env} (${pair.record} in ${users.file}): run npm run deploy -- --env ${env} first`)
  // 1. Publish the current key as the previous one too (the JWKS lists it twice: harmless).
  editFile(users.file, [varEdit(env, 'JWT_PREVIOUS_PUBLIC_KEY', JSON.stringify(current))])
  deployUsers()
  // 2. The new private key: the version it makes signs with it and publishes both.
  const key = await freshKey(pair, env)
  putSecrets(run, env, users.file, { [pair.secret]: key.secretValue })
  // 3. Only now the record: a failed step 2 leaves the current key on record, as it still is.
  editFile(users.file, [varEdit(env, pair.record, JSON.stringify(key.publicJwk))])
  deployUsers()
  console.log(`${env}: tokens are signed with ${key.publicJwk.kid}; ${current.kid} is still published.`)
  console.log(`In 15 minutes (the token lifetime): npm run keys:rotate -- --env ${env} --finish`)
  return 0
})
