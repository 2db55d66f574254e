// How `npm start` talks: one line per step with its duration, wrangler's own output kept back
// unless a step fails or VERBOSE is set; after start-up the Workers' JSON log lines pass through.

export const VERBOSE = process.env.VERBOSE === '1' || process.argv.includes('--verbose')

const seconds = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`)

/** Runs `work` as a named step and prints `  <name> … <duration>` when it ends. */
export async function step(name, work) {
  const started = performance.now()
  const result = await work()
  console.log(`  ${name.padEnd(34)} ${seconds(performance.now() - started)}`)
  return result
}

/** The last lines a process wrote, to show if it fails. */
export function outputTail(max = 200) {
  const lines = []
  return {
    push(text) {
      lines.push(...text.split('\n'))
      if (lines.length > max) lines.splice(0, lines.length - max)
    },
    text: () => lines.join('\n'),
  }
}

/** Once the system is ready, the Workers' own log lines pass through (before, only the narration). */
export const phase = { ready: false }

// A Worker's log line as wrangler dev prints it: its JSON, after the Worker's name in brackets.
const WORKER_LOG_LINE = /^(\[[\w-]+\] )?\{/

/** Worker log lines (JSON) are shown once ready; wrangler's own lines only when VERBOSE. */
export function passThrough(stream, target, tail) {
  let pending = ''
  stream.on('data', (chunk) => {
    const text = pending + chunk.toString()
    const lines = text.split('\n')
    pending = lines.pop()
    for (const line of lines) {
      tail.push(line)
      if (VERBOSE || (phase.ready && WORKER_LOG_LINE.test(line))) target.write(`${line}\n`)
    }
  })
}

export { seconds }
