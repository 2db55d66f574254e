import { createExecutionContext, createMessageBatch, createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { CREDENTIAL_HEADER } from '../../platform/auth/internal-credential'
import { fetchWithEnv } from './handler-fetch'
import { readProblem, serviceClient, type InternalService } from './service-client'

/** One bad setting: the var, and the value it is given (`undefined`: removed). */
export type BadVar = [name: string, value: string | undefined]

export interface BadConfigOptions {
  /** The Worker's default export (its index.ts), called straight with an env copy. */
  worker: ExportedHandler<never>
  /** The origin requests go to, e.g. `https://users.internal`. */
  origin: string
  /** Paths every one of which must answer 500 with the bad var. */
  paths: string[]
  /** Headers a request needs to get past everything but the config (a gateway credential). */
  headers?: () => Promise<Record<string, string>>
  cases: BadVar[]
  /** A queue the Worker consumes: a batch must fail (and so retry) with the bad var. */
  queue?: string
  /** The Worker has a cron: its scheduled run must fail with the bad var. */
  scheduled?: boolean
}

/** Where an internal Worker's requests go, and the gateway credential they carry to get past its auth. */
export function asGateway(service: InternalService): Pick<BadConfigOptions, 'origin' | 'headers'> {
  const client = serviceClient(service)
  return { origin: `https://${service}.internal`, headers: async () => ({ [CREDENTIAL_HEADER]: await client.gatewayCredential() }) }
}

/**
 * What a Worker does with a bad configuration, the same table for every Worker: every request
 * answers 500 problem+json `internal_error`, the answer says nothing about the configuration,
 * the log line names the var; a queue batch or a cron run fails (so messages are retried).
 */
export function describeBadConfig(options: BadConfigOptions): void {
  const { worker, origin, paths, cases } = options
  const withVar = ([name, value]: BadVar) => ({ ...(env as unknown as Record<string, unknown>), [name]: value })
  const request = async (path: string) => new Request(`${origin}${path}`, { headers: (await options.headers?.()) ?? {} })

  describe('bad configuration', () => {
    let logged: MockInstance<typeof console.error>
    beforeEach(() => {
      logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    })
    afterEach(() => logged.mockRestore())

    it('serves the first path with the configuration as it is (so each refusal below is down to its one var)', async () => {
      const response = await fetchWithEnv(worker, await request(paths[0]!), withVar(['TEST_UNUSED_VAR', 'x']))
      expect(response.status).toBe(200)
    })

    it.each(cases)('answers every request 500 internal_error when %s is %j, naming it in the log only', async (name, value) => {
      for (const path of paths) {
        const { status, contentType, body } = await readProblem(await fetchWithEnv(worker, await request(path), withVar([name, value])))
        expect(status, path).toBe(500)
        expect(contentType).toBe('application/problem+json')
        expect(body).toMatchObject({ code: 'internal_error', request_id: expect.any(String) })
        expect(JSON.stringify(body)).not.toContain(name)
      }
      const lines = logged.mock.calls.map((args) => String(args[0]))
      expect(lines.some((line) => line.includes('bad configuration') && line.includes(name))).toBe(true)
    })

    const { queue } = options
    if (queue) {
      it.each(cases)('fails a queue batch when %s is %j, so its messages are retried', async (name, value) => {
        const batch = createMessageBatch(queue, [{ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: {} }])
        await expect(worker.queue!(batch as never, withVar([name, value]) as never, createExecutionContext())).rejects.toThrow(name)
      })
    }

    if (options.scheduled) {
      it.each(cases)('fails the cron run when %s is %j', async (name, value) => {
        const controller = createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' })
        expect(() => worker.scheduled!(controller, withVar([name, value]) as never, createExecutionContext())).toThrow(name)
      })
    }
  })
}
