import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { developmentVars } from './scripts/dev-keys.mjs'
import { buildWorker } from './test/support/build.mjs'

// One set of keys for the whole run, made like `npm start` makes them, so the gateway's
// credentials verify in users. Tests that mint credentials read TEST_GATEWAY_PRIVATE_KEY.
const vars = developmentVars()
const USERS_DB_ID = 'users-test-db'

const unitProject = {
  test: { name: 'unit', include: ['**/*.unit.test.ts'], exclude: ['node_modules/**'], environment: 'node' },
}

/**
 * A service on its own: its routes, RPC and queue handlers against a real D1 in workerd.
 * TEST_GATEWAY_PRIVATE_KEY and TEST_ORDERS_PRIVATE_KEY let tests sign credentials as the gateway
 * and as orders (an RPC caller).
 */
function serviceProject(name: 'users' | 'inventory' | 'payments' | 'notifications') {
  return {
    plugins: [
      cloudflareTest(async () => {
        const all = await vars
        return {
          wrangler: { configPath: `./workers/${name}/wrangler.toml` },
          miniflare: {
            bindings: {
              ...all[name],
              ENVIRONMENT: 'test',
              TEST_GATEWAY_PRIVATE_KEY: all.gateway.GATEWAY_PRIVATE_KEY,
              TEST_ORDERS_PRIVATE_KEY: all.servicePrivateKeys.orders,
              TEST_MIGRATIONS: await readD1Migrations(`./migrations/${name}`),
            },
          },
        }
      }),
    ],
    test: {
      name,
      include: [`workers/${name}/**/*.test.ts`],
      exclude: ['**/*.unit.test.ts'],
      setupFiles: ['./test/support/apply-migrations.ts'],
    },
  }
}

// The cross-Worker project: the gateway under test reaches the real users Worker (a
// production bundle) over a real service binding. The runner's USERS_DB binding points at
// users' database only so the setup can migrate it; the gateway's own code never sees it.
const gatewayProject = {
  plugins: [
    cloudflareTest(async () => {
      const { gateway, users } = await vars
      buildWorker('workers/users/wrangler.toml', '.build/test/users')
      return {
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: { ...gateway, TEST_MIGRATIONS: await readD1Migrations('./migrations/users') },
          d1Databases: { USERS_DB: USERS_DB_ID },
          workers: [
            {
              name: 'users',
              modules: true,
              scriptPath: '.build/test/users/index.js',
              compatibilityDate: '2026-11-01',
              compatibilityFlags: ['nodejs_compat'],
              d1Databases: { DB: USERS_DB_ID },
              bindings: {
                ...users,
                SERVICE_NAME: 'users',
                JWT_ISSUER: 'https://auth.edge-commerce.example',
                JWT_AUDIENCE: 'edge-commerce-api',
              },
            },
          ],
        },
      }
    }),
  ],
  test: {
    name: 'gateway',
    include: ['workers/gateway/**/*.test.ts', 'test/cross/**/*.test.ts'],
    exclude: ['**/*.unit.test.ts'],
    setupFiles: ['./test/support/apply-migrations.ts'],
  },
}

// End to end: the system started exactly as `npm start` starts it, driven over HTTP.
const e2eProject = {
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./test/e2e/start-system.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
}

// Every Worker built for production, within the platform's size limits.
const buildProject = {
  test: { name: 'build', include: ['test/build/**/*.test.ts'], environment: 'node', testTimeout: 120_000 },
}

export default defineConfig({
  test: {
    projects: [
      unitProject,
      serviceProject('users'),
      serviceProject('inventory'),
      serviceProject('payments'),
      serviceProject('notifications'),
      gatewayProject,
      e2eProject,
      buildProject,
    ],
  },
})
