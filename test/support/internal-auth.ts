import { describe, expect, it } from 'vitest'
import { forgeCredential, hs256Credential, strangerKey, unsignedCredential } from './forge-credential'
import { admin, readProblem, serviceClient, type InternalService } from './service-client'

/** A request to one of the service's routes: method, path and, for writes, a valid body. */
export type RouteCall = [method: string, path: string, body?: unknown]

/** What every internal Worker serves, whatever its own routes (platform/http/internal-app). */
const SHARED_ROUTES: RouteCall[] = [
  ['GET', '/health'],
  ['GET', '/ready'],
  ['POST', '/internal/sweep'],
  ['GET', '/no/such/route'],
]

/** What a refusal of the gateway credential looks like, on every route of every service. */
export async function expectDenied(response: Response): Promise<void> {
  expect(response.headers.get('WWW-Authenticate')).toBe('GatewayCredential')
  const { status, contentType, body } = await readProblem(response)
  expect(status).toBe(401)
  expect(contentType).toBe('application/problem+json')
  expect(body).toMatchObject({ status: 401, code: 'unauthenticated', type: '/problems/unauthenticated', request_id: expect.any(String) })
  expect(JSON.stringify(body)).not.toMatch(/stack|Error:/)
}

/**
 * Zero trust inside the system, the same table for every internal Worker: nothing answers over
 * HTTP without a valid credential the gateway signed for this service, whatever the route and
 * however the credential is wrong. Runs in the service's own project, against the real Worker.
 */
export function describeGatewayCredential(service: InternalService, routes: RouteCall[]): void {
  const client = serviceClient(service)
  const call = (path: string, credential: string | null) => client.call(path, { credential })

  describe('gateway credential', () => {
    it.each([...SHARED_ROUTES, ...routes])('refuses %s %s without a credential', async (method, path, body) => {
      await expectDenied(await client.call(path, { method, body, principal: admin, credential: null }))
    })

    it('accepts a forged credential that changes nothing (so each refusal below is down to its one change)', async () => {
      expect((await call('/health', await forgeCredential(service))).status).toBe(200)
    })

    it('refuses a credential the gateway signed for another service', async () => {
      await expectDenied(await call('/health', await client.gatewayCredential({ audience: service === 'users' ? 'orders' : 'users' })))
    })

    it("refuses an RPC caller's credential over HTTP (orders is not the gateway)", async () => {
      await expectDenied(await call('/health', await client.ordersCredential()))
    })

    it('refuses a credential from another issuer', async () => {
      await expectDenied(await call('/health', await forgeCredential(service, { claims: { iss: 'users' } })))
    })

    it('refuses a credential signed by a key the gateway does not own, even under its kid', async () => {
      const key = await strangerKey()
      await expectDenied(await call('/health', await forgeCredential(service, { key })))
      await expectDenied(await call('/health', await forgeCredential(service, { key, header: { kid: 'stranger' } })))
    })

    it('refuses an expired credential', async () => {
      const now = Math.floor(Date.now() / 1000)
      await expectDenied(await call('/health', await forgeCredential(service, { claims: { iat: now - 600, exp: now - 540 } })))
    })

    it('refuses a credential whose lifetime is not yet expired but that was issued too long ago', async () => {
      const now = Math.floor(Date.now() / 1000)
      await expectDenied(await call('/health', await forgeCredential(service, { claims: { iat: now - 3600, exp: now + 3600 } })))
    })

    it('refuses a credential without an expiry', async () => {
      await expectDenied(await call('/health', await forgeCredential(service, { claims: { exp: undefined } })))
    })

    it('refuses an unsigned credential (alg none)', async () => {
      await expectDenied(await call('/health', unsignedCredential(service)))
    })

    it('refuses an HS256 credential keyed with the kid the gateway uses', async () => {
      await expectDenied(await call('/health', await hs256Credential(service)))
    })

    it.each(['garbage', 'a.b.c', '', 'Bearer x', 'x'.repeat(5000)])('refuses the garbage credential %#', async (credential) => {
      await expectDenied(await call('/health', credential))
    })

    it('serves /health and /ready to a valid credential', async () => {
      for (const path of ['/health', '/ready']) {
        const response = await client.call(path)
        expect(response.status).toBe(200)
        expect(await response.json()).toEqual({ status: 'ok', service })
      }
    })

    it('answers an unknown path 404 as problem+json, with the request id of the credential', async () => {
      const response = await client.call('/no/such/route')
      const { status, contentType, body } = await readProblem(response)
      expect(status).toBe(404)
      expect(contentType).toBe('application/problem+json')
      expect(body.code).toBe('not_found')
      expect(response.headers.get('X-Request-Id')).toBe(body.request_id)
    })

    it('takes the request id from X-Request-Id when a reused credential names an earlier request (ADR 0002)', async () => {
      const credential = await forgeCredential(service, { claims: { rid: 'req-first-00000' } })
      const response = await client.call('/no/such/route', { credential, headers: { 'X-Request-Id': 'req-second-0000' } })
      expect((await readProblem(response)).body.request_id).toBe('req-second-0000')
      expect(response.headers.get('X-Request-Id')).toBe('req-second-0000')
    })
  })
}
