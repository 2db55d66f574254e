// Builds a Worker exactly as `wrangler deploy` would, without deploying (`--dry-run`).
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { OFFLINE_ENV, WRANGLER } from '../../scripts/workers.mjs'

/**
 * Bundles the Worker of `config` into `outdir` (relative to the working directory, not the config),
 * for a deployed environment when `env` is given; throws with wrangler's output on failure.
 */
export function buildWorker(config, outdir, env) {
  const args = [WRANGLER[1], 'deploy', '--dry-run', '--outdir', resolve(outdir), '-c', config, ...(env ? ['--env', env] : [])]
  const result = spawnSync(WRANGLER[0], args, {
    env: { ...process.env, ...OFFLINE_ENV },
    encoding: 'utf8',
  })
  if (result.status !== 0)
    throw new Error(`wrangler deploy --dry-run -c ${config}${env ? ` --env ${env}` : ''} failed:\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}
