// Command-line options shared by the deploy scripts: `--env <env>` (required), flags, positionals.
import { ENVIRONMENTS } from './plan.mjs'

export function parseArgs(argv, { flags = [], usage }) {
  const options = { env: null, positionals: [] }
  for (const flag of flags) options[flag] = false
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]
    if (arg === '--env' || arg === '-e') options.env = argv[++index] ?? null
    else if (arg.startsWith('--env=')) options.env = arg.slice('--env='.length)
    else if (arg.startsWith('--') && flags.includes(arg.slice(2))) options[arg.slice(2)] = true
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}\n${usage}`)
    else options.positionals.push(arg)
  }
  if (!ENVIRONMENTS.includes(options.env)) throw new UsageError(`--env must be one of ${ENVIRONMENTS.join(', ')}\n${usage}`)
  return options
}

export class UsageError extends Error {}

/** Runs a script's main: a usage or wrangler error is one clear message and exit code 1, never a stack. */
export async function main(run) {
  try {
    process.exitCode = (await run()) ?? 0
  } catch (error) {
    console.error(`\n✗ ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
