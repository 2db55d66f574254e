// Examples for the OpenAPI document (./api-docs.ts): one consistent story, a customer buying
// two mugs. The spec's unit test validates each against its schema, so they cannot drift.

const at = '2026-11-01T09:30:00.000Z'
const product = {
  id: 'prd_01JD4Q6V2Z8M3K',
  sku: 'MUG-001',
  name: 'Enamel mug',
  description: 'Holds 350 ml.',
  price_cents: 1250,
  currency: 'EUR',
  available: 40,
  created_at: at,
  updated_at: at,
}
const order = {
  id: 'ord_01JD4QA1XG5T7N',
  user_id: 'usr_01JD4Q2C9F0R6B',
  status: 'confirmed',
  items: [{ product_id: product.id, quantity: 2, unit_price_cents: 1250 }],
  total_cents: 2500,
  currency: 'EUR',
  cancellation_reason: null,
  created_at: at,
  updated_at: at,
}

export const EXAMPLES = {
  health: { status: 'ok', services: { users: 'ok', inventory: 'ok', orders: 'ok', payments: 'ok', notifications: 'ok' } },
  degraded: { status: 'degraded', services: { users: 'ok', inventory: 'ok', orders: 'ok', payments: 'down', notifications: 'ok' } },
  jwks: {
    keys: [
      {
        kty: 'EC',
        crv: 'P-256',
        kid: 'k-2026-11',
        alg: 'ES256',
        use: 'sig',
        x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
        y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      },
    ],
  },
  register: { email: 'ada@example.com', password: 'correct horse battery staple', name: 'Ada Lovelace' },
  login: { email: 'ada@example.com', password: 'correct horse battery staple' },
  token: {
    access_token: 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImstMjAyNi0xMSJ9.e30.c2lnbmF0dXJl',
    token_type: 'Bearer',
    expires_in: 900,
    refresh_token: 'rt_Vq3Jx0wq1o0mX0m2b3QyQnV0hS1Yk3sQm6b1b9m8Zx4',
  },
  changePassword: {
    current_password: 'correct horse battery staple',
    new_password: 'a new and longer passphrase',
    refresh_token: 'rt_Vq3Jx0wq1o0mX0m2b3QyQnV0hS1Yk3sQm6b1b9m8Zx4',
  },
  user: { id: order.user_id, email: 'ada@example.com', name: 'Ada Lovelace', roles: ['customer'], created_at: at },
  adminUser: { id: order.user_id, status: 'deleted', roles: ['customer'], created_at: at, deleted_at: '2026-11-20T16:05:00.000Z' },
  product,
  createProduct: {
    sku: 'MUG-001',
    name: 'Enamel mug',
    description: 'Holds 350 ml.',
    price_cents: 1250,
    currency: 'EUR',
    initial_stock: 40,
  },
  stock: { product_id: product.id, on_hand: 42, reserved: 2, available: 40 },
  placeOrder: { items: [{ product_id: product.id, quantity: 2 }], payment_token: 'tok_visa' },
  order,
  orderV2: {
    id: order.id,
    status: 'confirmed',
    items: [{ product_id: product.id, quantity: 2, unit_price: { amount: 1250, currency: 'EUR' } }],
    total: { amount: 2500, currency: 'EUR' },
    cancellation_reason: null,
    created_at: at,
    updated_at: at,
  },
  saga: {
    order_id: order.id,
    status: 'completed',
    steps: [
      { name: 'reserve_inventory', status: 'succeeded', attempts: 1, started_at: at, finished_at: at, error: null, next_retry_at: null },
      { name: 'charge_payment', status: 'succeeded', attempts: 1, started_at: at, finished_at: at, error: null, next_retry_at: null },
      { name: 'confirm_order', status: 'succeeded', attempts: 1, started_at: at, finished_at: at, error: null, next_retry_at: null },
    ],
  },
  payment: { id: 'pay_01JD4QB7R1K2W9', order_id: order.id, amount_cents: 2500, currency: 'EUR', status: 'captured', created_at: at },
  notification: {
    id: 'ntf_01JD4QC0M4P8D5',
    type: 'order_confirmed',
    channel: 'email',
    subject: 'Your order is confirmed',
    order_id: order.id,
    created_at: at,
  },
  deadLetter: {
    id: 'notifications:msg-7f3a',
    service: 'notifications',
    event_id: 'evt_01JD4QD2',
    event_type: 'com.edgecommerce.order.confirmed.v1',
    attempts: 4,
    received_at: at,
    replayed_at: null,
    body: { id: 'evt_01JD4QD2', type: 'com.edgecommerce.order.confirmed.v1' },
  },
  breaker: {
    service: 'payments',
    state: 'open',
    failure_rate: 0.6,
    retry_after_s: 24,
    classes: {
      read: { state: 'closed', failure_rate: 0, retry_after_s: 0 },
      write: { state: 'open', failure_rate: 0.6, retry_after_s: 24 },
    },
  },
} as const
