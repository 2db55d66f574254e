// Quiet test runs: the Workers' JSON log lines stay off the terminal on a green run.
//
// The Worker under test logs inside the test's own isolate: vitest sees those lines and, with
// `silent: 'passed-only'` (vitest.config.ts), prints them only beside a failed test. Auxiliary
// Workers (the internal Workers behind orders and the gateway) run beside it in workerd, whose
// output the Workers plugin writes straight to this process's stdout and stderr, one line per
// write; those lines are held in a file instead, and a failed run says where it is.
//
// Plain JS for the same reason as miniflare-options.mjs: it runs in Node, outside the Workers
// typecheck. TEST_LOGS=1 turns all of this off: every line reaches the terminal as it comes.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** A line the platform logger writes (platform/telemetry/log.ts): one JSON object, `time` first. */
const WORKER_LOG_LINE = /^\{"time":"[^"]+","level":"(info|warn|error)"/

/** Whether the developer asked for every log line on the terminal. */
export const showLogs = Boolean(process.env.TEST_LOGS)

let held = 0
let file = ''

/**
 * From now on, Worker log lines written to stdout or stderr go to `path` (emptied first) instead
 * of the terminal; everything else passes through unchanged.
 * @param {string} path
 */
export function holdWorkerLogs(path) {
  if (showLogs || file) return
  file = path
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, '')
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream)
    stream.write = /** @type {typeof stream.write} */ (
      (chunk, ...rest) => {
        if (typeof chunk === 'string' && WORKER_LOG_LINE.test(chunk)) {
          held++
          appendFileSync(file, chunk.endsWith('\n') ? chunk : `${chunk}\n`)
          const callback = rest.find((arg) => typeof arg === 'function')
          if (callback) callback()
          return true
        }
        return write(chunk, ...rest)
      }
    )
  }
}

/** A vitest reporter: after a failed run, says where the held log lines are. */
export class WorkerLogsReporter {
  /** @param {unknown} _modules @param {unknown} _errors @param {string} reason */
  onTestRunEnd(_modules, _errors, reason) {
    if (reason !== 'passed' && held > 0) {
      process.stdout.write(`\n${held} log lines of auxiliary Workers are in ${file} (TEST_LOGS=1 prints every line as it comes).\n`)
    }
  }
}
