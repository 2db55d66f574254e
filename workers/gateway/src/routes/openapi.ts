import { Hono } from 'hono'
import { buildOpenApiDocument } from '../../../../shared-contracts/openapi'
import type { GatewayEnv } from '../services'
import { conditionalResponse } from '../../../../platform/cache/http-cache'
import { staticBody } from './static-body'

/** `GET /openapi.json`: the OpenAPI 3.1 document, built from the contract schemas once per isolate. */
export const openApiRoutes = new Hono<GatewayEnv>()

const document = staticBody(() => JSON.stringify(buildOpenApiDocument()))

openApiRoutes.get('/openapi.json', async (c) => conditionalResponse(c, await document(), 'application/json', 'public, max-age=300'))
