import { Hono } from 'hono'
import swaggerUiBundle from 'swagger-ui-dist/swagger-ui-bundle.js'
import swaggerUiCss from 'swagger-ui-dist/swagger-ui.css'
import { validated } from '../../../../platform/http/validated'
import { docsAsset, docsPage, type DocsAsset } from '../../../../shared-contracts/api/system'
import type { GatewayEnv } from '../services'
import { conditionalResponse, type Representation } from '../../../../platform/cache/http-cache'
import { staticBody } from './static-body'

/**
 * `GET /docs`: the API reference, swagger-ui rendering /openapi.json. Its scripts and styles are
 * bundled into the gateway as text modules (docs/adr/0018-api-reference-assets.md) and served
 * from `/docs/{asset}`: the page fetches nothing from anywhere else, and runs no inline script
 * (its Content-Security-Policy allows only 'self', middleware/security-headers.ts).
 */
export const docsRoutes = new Hono<GatewayEnv>()

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edge-commerce API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/docs.js"></script>
</body>
</html>
`

// validatorUrl null: swagger-ui would otherwise load a badge from validator.swagger.io.
const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
  })
})
`

const ASSETS: Record<DocsAsset, { body: () => Promise<Representation>; contentType: string }> = {
  'swagger-ui-bundle.js': { body: staticBody(() => swaggerUiBundle), contentType: 'text/javascript; charset=utf-8' },
  'swagger-ui.css': { body: staticBody(() => swaggerUiCss), contentType: 'text/css; charset=utf-8' },
  'docs.js': { body: staticBody(() => INITIALIZER), contentType: 'text/javascript; charset=utf-8' },
}
docsRoutes.get(docsPage.path, (c) => c.html(PAGE, 200, { 'Cache-Control': 'public, max-age=300' }))

docsRoutes.get(docsAsset.path, validated(docsAsset), async (c) => {
  const asset = ASSETS[c.req.valid('param').asset]
  return conditionalResponse(c, await asset.body(), asset.contentType, 'public, max-age=3600')
})
