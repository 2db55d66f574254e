// Counting what the code really does (bench/README.md, "Counting operations"): the system with
// tracing on, exporting to an OTLP receiver in this process (test/e2e/otlp-receiver.ts), and the
// operations of a run tallied from the spans it caused (bench/tally.mjs).
import { startOtlpReceiver } from '../test/e2e/otlp-receiver.ts'
import { sleep } from './harness.mjs'
import { buildSystem, startSystem } from './order-system.mjs'
import { tally } from './tally.mjs'

/** The bench system (bench/order-system.mjs) with every Worker and Durable Object traced. */
export async function startTracedSystem({ products = 1, vars = {} } = {}) {
  const receiver = await startOtlpReceiver()
  try {
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TIMEOUT: '10000' }
    const { built } = await buildSystem({ extraVars: { ...tracing, ...vars } })
    const system = await startSystem(Object.values(built), { products })
    return {
      ...system,
      receiver,
      async stop() {
        await system.stop()
        await receiver.close()
      },
    }
  } catch (error) {
    await receiver.close()
    throw error
  }
}

/** Waits until no span has arrived for `quietMs` (spans are exported after each invocation), at most `maxMs`. */
async function quiet(receiver, { quietMs = 2_000, maxMs = 60_000 } = {}) {
  const deadline = Date.now() + maxMs
  let count = receiver.spans.length
  let since = Date.now()
  while (Date.now() < deadline) {
    await sleep(200)
    if (receiver.spans.length !== count) {
      count = receiver.spans.length
      since = Date.now()
    } else if (Date.now() - since >= quietMs) return
  }
}

/**
 * Runs `run` on a quiet system and tallies every span that arrives from its start until the
 * system is quiet again: the run and everything it caused (queue deliveries, relays).
 */
export async function countOperations(system, run) {
  await quiet(system.receiver)
  const from = system.receiver.spans.length
  const value = await run()
  await quiet(system.receiver)
  const spans = system.receiver.spans.slice(from)
  return { value, spans, totals: tally(spans) }
}
