import { env, exports } from 'cloudflare:workers'
import { createCredentialSigner, CREDENTIAL_HEADER } from '../../platform/auth/internal-credential'
import type { Principal } from '../../platform/auth/principal'
import { REQUEST_ID_HEADER } from '../../platform/http/request-id'

/** The internal Workers that have a test project of their own, with this client. */
export type InternalService = 'users' | 'inventory' | 'orders' | 'payments' | 'notifications'

/** What the test configuration adds to every service project's bindings (vitest.config.ts). */
export interface TestBindings {
  /** Signs credentials as the gateway does. */
  TEST_GATEWAY_PRIVATE_KEY: string
  /** Signs credentials as orders does for its RPC calls. */
  TEST_ORDERS_PRIVATE_KEY: string
}

export interface CallOptions {
  method?: string
  /** JSON-encoded, unless a string or a stream; sent with `Content-Type: application/json`. */
  body?: unknown
  /** Who the credential says is calling; anonymous by default. */
  principal?: Principal | null
  /** Leave out the gateway credential (`null`), or send this one instead. */
  credential?: string | null
  /** The service the credential is signed for; the one called by default. */
  audience?: string
  /** More request headers, set last (they win over the defaults). */
  headers?: Record<string, string>
}

export interface ServiceClient<E> {
  /** The Worker's own bindings plus those the test configuration adds. */
  env: E & TestBindings
  /**
   * Calls the Worker under test (the `main` of the project) as the gateway would: with a credential
   * signed for it, and the same request id in the credential and in `X-Request-Id`.
   */
  call(path: string, options?: CallOptions): Promise<Response>
  /** The request `call` sends, for a test that hands it to the Worker's handler itself (with an env of its own). */
  request(path: string, options?: CallOptions): Promise<Request>
  /** A credential the gateway signs: valid over HTTP, refused over RPC. */
  gatewayCredential(options?: { audience?: string; principal?: Principal | null }): Promise<string>
  /** A credential orders signs for its RPC calls: valid over RPC, refused over HTTP. */
  ordersCredential(audience?: string): Promise<string>
}

/** The one test client of every internal Worker's project, parameterised by the service under test. */
export function serviceClient<E>(service: InternalService): ServiceClient<E> {
  const testEnv = env as unknown as E & TestBindings
  const worker = (exports as unknown as { default: { fetch(request: Request): Promise<Response> } }).default
  const signAsGateway = createCredentialSigner(testEnv.TEST_GATEWAY_PRIVATE_KEY)
  const signAsOrders = createCredentialSigner(testEnv.TEST_ORDERS_PRIVATE_KEY, 'orders')

  async function request(path: string, options: CallOptions = {}): Promise<Request> {
    const requestId = crypto.randomUUID()
    const headers = new Headers({ [REQUEST_ID_HEADER]: requestId })
    if (options.body !== undefined) headers.set('Content-Type', 'application/json')
    const credential =
      options.credential !== undefined
        ? options.credential
        : await signAsGateway(options.audience ?? service, { principal: options.principal ?? null, requestId })
    if (credential !== null) headers.set(CREDENTIAL_HEADER, credential)
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value)
    const init: RequestInit & { duplex?: 'half' } = { method: options.method ?? 'GET', headers }
    if (options.body !== undefined) {
      init.body = typeof options.body === 'string' || options.body instanceof ReadableStream ? options.body : JSON.stringify(options.body)
      init.duplex = 'half'
    }
    return new Request(`https://${service}.internal${path}`, init)
  }

  const call = async (path: string, options?: CallOptions) => worker.fetch(await request(path, options))

  return {
    env: testEnv,
    call,
    request,
    gatewayCredential: ({ audience = service, principal = null } = {}) =>
      signAsGateway(audience, { principal, requestId: crypto.randomUUID() }),
    ordersCredential: (audience = service) => signAsOrders(audience, { principal: null, requestId: crypto.randomUUID() }),
  }
}

export interface Problem {
  status: number
  contentType: string | null
  body: {
    type: string
    title: string
    status: number
    code: string
    request_id: string
    detail?: string
    errors?: { path: string; message: string }[]
  }
}

/** Reads a response as problem+json, asserting nothing: tests assert on the result. */
export async function readProblem(response: Response): Promise<Problem> {
  return { status: response.status, contentType: response.headers.get('Content-Type'), body: (await response.json()) as Problem['body'] }
}

/** A fresh id with this prefix, shaped like the services' own (`usr_…`, `ord_…`). */
export const uniqueId = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
export const newUserId = () => uniqueId('usr')
export const customer = (id = newUserId()): Principal => ({ id, roles: ['customer'] })
export const admin: Principal = { id: 'usr_admin', roles: ['customer', 'admin'] }
