// Bindings the test configuration adds on top of each Worker's own (vitest.config.ts).
declare namespace Cloudflare {
  // Every Worker under test exports a default fetch handler (`exports.default.fetch` in tests).
  interface GlobalProps {
    mainModule: { default: ExportedHandler<Env> }
  }
  interface Env {
    DB: D1Database
    USERS_DB: D1Database
    /** D1 binding name → its migrations, applied before each test file. */
    TEST_MIGRATIONS: Record<string, import('cloudflare:test').D1Migration[]>
    TEST_GATEWAY_PRIVATE_KEY: string
    TEST_ORDERS_PRIVATE_KEY: string
  }
}
