import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { ProblemSchema } from '../../shared-contracts/errors'
import { SERVICES } from '../../shared-contracts/routes'
import { createContract } from '../support/contract'
import { adminToken, bearer, call, send, signUp } from './client'
import { fuzzOperations, type FuzzOperation, type FuzzRequest } from './fuzz/requests'
import { settledDigest, stateDigest } from './state'

// Property-based fuzzing of the whole public API, generated from the OpenAPI document: for every
// operation, requests whose parameters and bodies are drawn from its schemas, valid-ish or
// hostile, sent as an admin, a customer and an anonymous caller. Whatever is sent:
//   - the answer is never a 5xx;
//   - it conforms to the document (test/support/contract.ts), so a 4xx is problem+json;
//   - a 4xx changed nothing stored in any service (every row of every D1 table, digested).
// The seed is fixed, so a run is repeatable; FUZZ_SEED=<n> and FUZZ_RUNS=<n> choose others:
//   FUZZ_SEED=42 FUZZ_RUNS=500 npm exec -- vitest run --project gateway test/cross/fuzz
const bindings = env as unknown as { TEST_FUZZ_SEED?: string; TEST_FUZZ_RUNS?: string }
const SEED = Number(bindings.TEST_FUZZ_SEED ?? 20261126)
const RUNS = Number(bindings.TEST_FUZZ_RUNS ?? 80)

const contract = createContract()
const operations = fuzzOperations(contract.document)
let tokens: Record<'admin' | 'customer', string>

beforeAll(async () => {
  tokens = { admin: await adminToken(), customer: (await signUp('Fuzz')).token }
})

const describeRequest = (request: FuzzRequest) =>
  `${request.method} ${request.url.slice(0, 300)} ${JSON.stringify(request.headers).slice(0, 300)} ${(request.body ?? '').slice(0, 300)}`

/**
 * A write that succeeded leaves work behind (outbox relays, queue batches of up to 1 s, sagas):
 * the next request's digest waits until nothing has changed for 2.5 s (a loaded machine is slow),
 * for up to 30 s: on a loaded 2-core machine the sign-ups' events were seen still landing after 10 s.
 */
const SETTLE = { quietMs: 2_500, timeoutMs: 30_000 }
let settled = false
let digest = ''

async function send_(request: FuzzRequest, token: string | null): Promise<void> {
  if (!settled) digest = await settledDigest(SETTLE.quietMs, SETTLE.timeoutMs)
  const headers = { ...request.headers, ...(token ? bearer(token) : {}) }
  const response = await call(request.url, {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  })
  const text = await response.text()
  let body: unknown = null
  try {
    body = text === '' ? null : JSON.parse(text)
  } catch {
    body = text
  }
  const what = `${describeRequest(request)} → ${response.status} ${text.slice(0, 500)}`
  expect(response.status, what).toBeLessThan(500)
  // A JSON document served as an opaque string (GET /openapi.json) is checked as its text.
  const [parsed, raw] = [body, text].map((candidate) =>
    contract.violations(request.method, request.url, { status: response.status, headers: response.headers, body: candidate }),
  )
  // Off the document (a path the URL parser normalised away, a swapped method), a refusal that
  // comes before routing (413, 415) is as good as the 404/405 the document names there.
  const offDocument = /\(no such (path|operation)\): status 4\d\d is not documented$/
  const violations = (raw!.length === 0 ? raw! : parsed!).filter((violation) => !offDocument.test(violation))
  expect(violations.join('\n'), what).toBe('')
  if (response.status >= 400) {
    expect(response.headers.get('Content-Type'), what).toBe('application/problem+json')
    const problem = ProblemSchema.parse(body)
    expect(problem, what).toMatchObject({ status: response.status, request_id: response.headers.get('X-Request-Id') })
    expect(await stateDigest(), `${what}\na refused request changed stored state`).toBe(digest)
    settled = true
  } else {
    settled = request.method === 'GET'
    // An admin may have switched fault injection on: the next request must meet a healthy system.
    if (request.url.startsWith('/api/v1/admin/faults/')) {
      for (const service of SERVICES) await send('PUT', `/api/v1/admin/faults/${service}`, { mode: 'none', rate: 0 }, bearer(tokens.admin))
    }
  }
}

async function fuzz(callable: FuzzOperation[], token: () => string | null, seed: number) {
  const requests = fc.oneof(...callable.map((operation) => operation.requests))
  settled = false
  const run = await fc.check(
    fc.asyncProperty(requests, (request) => send_(request, token())),
    { seed, numRuns: RUNS, endOnFailure: true },
  )
  if (run.failed) {
    const cause = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance)
    throw new Error(`fuzzing failed after ${run.numRuns} runs; seed ${seed}; replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}\n${cause}`)
  }
}

describe(`fuzzing every operation of the OpenAPI document (seed ${SEED}, ${RUNS} runs per caller)`, () => {
  it('covers every operation, public, signed-in and admin', () => {
    expect(operations.length).toBe(Object.values(contract.document.paths).flatMap((item) => Object.keys(item as object)).length)
    expect(new Set(operations.map((operation) => operation.access))).toEqual(new Set(['public', 'signed-in', 'admin']))
  })

  it('sees a change in stored state (so the check on refusals can fail)', async () => {
    const before = await settledDigest()
    await signUp('Digest')
    expect(await stateDigest()).not.toBe(before)
  })

  it('as an anonymous caller', async () => {
    await fuzz(operations, () => null, SEED)
  }, 60_000)

  it('as a customer', async () => {
    await fuzz(operations, () => tokens.customer, SEED + 1)
  }, 60_000)

  it('as an admin', async () => {
    await fuzz(operations, () => tokens.admin, SEED + 2)
  }, 60_000)
})
