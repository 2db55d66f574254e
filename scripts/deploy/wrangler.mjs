// Runs the `wrangler` found first on PATH (under npm scripts: the project's own, on Node 24).
// Every call's output is captured, never shown unless it fails or --verbose asks for it, and is
// passed through `scrub` first: no secret value reaches the terminal.
import { spawnSync } from 'node:child_process'

/** Wrangler answers a user would read, minus anything that looks like a key. */
export function scrub(text) {
  return text.replace(/"d"\s*:\s*"[^"]*"/g, '"d":"[REDACTED]"').replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '[REDACTED]')
}

export class WranglerError extends Error {
  constructor(args, result) {
    super(`wrangler ${args.join(' ')} failed (exit ${result.status}):\n${scrub(`${result.stdout}${result.stderr}`).trim()}`)
    this.output = scrub(`${result.stdout}${result.stderr}`)
  }
}

/**
 * A wrangler runner. `run(args, { input, allowFailure })` answers `{ ok, stdout, output }`;
 * a failure throws a WranglerError unless allowed. `input` goes to stdin (secrets never touch
 * a file or the command line).
 */
export function createWrangler({ verbose = false, log = console.log, env = process.env } = {}) {
  return function run(args, { input, allowFailure = false } = {}) {
    const result = spawnSync('wrangler', args, {
      env: { ...env, WRANGLER_SEND_METRICS: 'false' },
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    })
    if (result.error) throw new Error(`could not run wrangler: ${result.error.message} (is it installed? run npm install)`)
    const output = scrub(`${result.stdout}${result.stderr}`)
    if (verbose) log(`  $ wrangler ${args.join(' ')}\n${output.replace(/^/gm, '    ')}`)
    const ok = result.status === 0
    if (!ok && !allowFailure) throw new WranglerError(args, result)
    return { ok, stdout: result.stdout, output }
  }
}

/** The JSON a `--json` (or always-JSON) wrangler command printed, ignoring any banner around it. */
export function parseJson(stdout) {
  const start = stdout.search(/[[{]/)
  if (start < 0) throw new Error(`expected JSON from wrangler, got: ${scrub(stdout).slice(0, 200)}`)
  return JSON.parse(stdout.slice(start))
}
