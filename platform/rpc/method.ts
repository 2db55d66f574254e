import type { z } from 'zod'
import type { Result } from '../../shared-contracts/errors'
import { relayOutbox } from '../events/outbox'
import { recordingEnv } from '../events/written-events'
import { injectedRpcFault, type FaultBindings } from '../faults/faults'
import { validate } from '../http/json-body'
import { createLogger } from '../telemetry/log'
import { withRequestContext } from '../telemetry/request-context'
import { createRpcGuard, type RpcCaller, type RpcGuardBindings } from './guard'

/** What every internal entrypoint's env has: the callers it trusts, fault injection, its D1 (outbox). */
export interface RpcMethodBindings extends RpcGuardBindings, FaultBindings {
  DB: D1Database
}

/** One entrypoint's methods share who may call them and how their services are built. */
export interface RpcEntrypointOptions<E, Services> {
  /** This service: the audience its callers' credentials must name. */
  service: string
  /** The services whose credentials every method accepts. */
  callers: readonly string[]
  services: (env: E) => Services
}

/** One RPC method: its contract schema, what it runs, whether it writes. */
export interface RpcMethod<Services, S extends z.ZodType, T> {
  schema: S
  run: (services: Services, caller: RpcCaller, input: z.output<S>) => Promise<Result<T>>
  /** A write: afterwards the outbox is relayed at once, whatever the answer (a refusal may have recorded an event). */
  writes: boolean
  /**
   * After a write that succeeded, once its answer has left (the call's `waitUntil`): work the
   * answer says is worth doing but the caller need not wait for (refilling a cache, say). It
   * handles its own failures.
   */
  answered?: (services: Services, value: T) => Promise<void>
}

/**
 * The one pipeline of every internal RPC method: check the caller's credential, inject a
 * configured fault, validate the input, run with the caller's request id in scope, then relay
 * the outbox rows the write wrote (docs/adr/0059). A function, not a base-class method, because RPC exposes every
 * method of an entrypoint. Business failures come back as `Result`s; a throw is logged and
 * thrown on (the caller sees a failed call it may retry with the same key).
 */
export function rpcMethods<E extends RpcMethodBindings, Services>(options: RpcEntrypointOptions<E, Services>) {
  const verifyCaller = createRpcGuard(options.service)
  const log = createLogger(options.service)

  return async function rpcMethod<S extends z.ZodType, T>(
    env: E,
    ctx: ExecutionContext,
    credential: unknown,
    input: unknown,
    method: RpcMethod<Services, S, T>,
  ): Promise<Result<T>> {
    const caller = await verifyCaller(env, credential, options.callers)
    if (!caller.ok) return caller
    const fault = await injectedRpcFault(env)
    if (fault) return fault
    const parsed = validate(method.schema, input)
    if (!parsed.ok) return parsed
    // The call's writes record their outbox rows, which the relay after it sends (one statement).
    const scoped = method.writes ? recordingEnv(env) : env
    const services = options.services(scoped)
    let result: Result<T>
    try {
      // The caller's request id is this call's too: every log line of the call carries it.
      result = await withRequestContext({ requestId: caller.value.requestId }, () => method.run(services, caller.value, parsed.value))
    } catch (error) {
      log.error('rpc call failed', { request_id: caller.value.requestId, error })
      throw error
    } finally {
      // The events leave at once, also those of a batch that committed before the call threw
      // (its writer claimed them: no one else would send them before the claim lapses); the
      // scheduled sweep sends whatever this could not.
      if (method.writes) {
        ctx.waitUntil(
          relayOutbox(scoped.DB, env).then(
            () => undefined,
            (error: unknown) => log.error('outbox relay failed', { error }),
          ),
        )
      }
    }
    if (method.writes && result.ok && method.answered) ctx.waitUntil(method.answered(services, result.value))
    return result
  }
}
