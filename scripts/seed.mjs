// `npm run seed`: fills a running local system (`npm start`) with a small catalogue and its
// stock, through the public API as the development admin. Idempotent: products are known by
// SKU, and one that exists is left as it is, so a second run adds nothing.
//   PORT (default 8787), ADMIN_EMAIL / ADMIN_PASSWORD (the development admin's defaults)
const baseUrl = process.env.BASE_URL ?? `http://127.0.0.1:${process.env.PORT ?? '8787'}`

export const CATALOGUE = [
  { sku: 'MUG-001', name: 'Enamel mug', description: 'Holds 350 ml of coffee.', price_cents: 1250, currency: 'EUR', initial_stock: 40 },
  { sku: 'TEE-001', name: 'Organic T-shirt', description: 'Unisex, size M.', price_cents: 2400, currency: 'EUR', initial_stock: 25 },
  { sku: 'BAG-001', name: 'Canvas tote bag', description: 'Carries 10 kg.', price_cents: 1800, currency: 'EUR', initial_stock: 30 },
  { sku: 'NOTE-001', name: 'Dot-grid notebook', description: 'A5, 120 pages.', price_cents: 950, currency: 'EUR', initial_stock: 60 },
  { sku: 'PEN-001', name: 'Fountain pen', description: 'Fine nib, blue ink.', price_cents: 3200, currency: 'EUR', initial_stock: 15 },
]

async function call(method, path, { body, token } = {}) {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const answer = await response.json().catch(() => null)
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status} ${answer?.code ?? ''}: ${answer?.detail ?? answer?.title ?? ''}`)
  return answer
}

async function existingSkus() {
  const skus = new Set()
  let cursor = null
  do {
    const page = await call('GET', `/api/v1/products?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    for (const product of page.items) skus.add(product.sku)
    cursor = page.next_cursor
  } while (cursor)
  return skus
}

async function seed() {
  const { access_token: token } = await call('POST', '/api/v1/auth/login', {
    body: { email: process.env.ADMIN_EMAIL ?? 'admin@example.com', password: process.env.ADMIN_PASSWORD ?? 'admin-password-change-me' },
  })
  const skus = await existingSkus()
  const missing = CATALOGUE.filter((product) => !skus.has(product.sku))
  for (const product of missing) {
    const created = await call('POST', '/api/v1/products', { body: product, token })
    console.log(`  added ${created.sku}  ${created.id}  ${created.name}, ${product.initial_stock} in stock`)
  }
  console.log(
    missing.length ? `Seeded ${missing.length} products at ${baseUrl}.` : `Nothing to add: the catalogue is already at ${baseUrl}.`,
  )
}

try {
  await seed()
} catch (error) {
  console.error(`Seeding failed: ${error.message}\nIs the system running (npm start)?`)
  process.exitCode = 1
}
