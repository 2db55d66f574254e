// Bindings the test configuration adds on top of each Worker's own (vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    DB: D1Database
    USERS_DB: D1Database
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
    TEST_GATEWAY_PRIVATE_KEY: string
  }
}
