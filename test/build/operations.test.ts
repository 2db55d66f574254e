// admin:grant, keys:rotate and destroy against a STAND-IN for the wrangler binary
// (test/support/wrangler-stand-in): the scripts' logic, not Cloudflare's.
import { describe, expect, it } from 'vitest'
import { WORKERS } from '../../scripts/workers.mjs'
import { sandbox, secretValues } from './deploy-sandbox'

const tomlVar = (text: string, env: string, name: string) => {
  const section = text.slice(text.indexOf(`[env.${env}.vars]`))
  const match = new RegExp(`^${name} = (".*")$`, 'm').exec(section.slice(0, section.indexOf('\n[', 1)))
  return match ? (JSON.parse(JSON.parse(match[1]!)) as { kid: string }) : null
}

describe('the operations scripts (with a stand-in wrangler)', { timeout: 300_000 }, () => {
  it('admin:grant adds the admin role by email, and says so when nobody registered it', () => {
    const box = sandbox()
    const granted = box.run('admin-grant.mjs', ['--env', 'staging', 'Ada@Example.com'], {
      STAND_IN_SQL_RESULTS: '[{"roles":"[\\"customer\\",\\"admin\\"]"}]',
    })
    expect(granted.status, granted.output).toBe(0)
    expect(granted.output).toContain('Ada@Example.com now has the roles customer, admin in staging')
    const calls = box.newCalls()
    expect(calls.at(-1)).toMatch(
      /^d1 execute DB --remote --env staging -c workers\/users\/wrangler.toml --json --command UPDATE users SET roles = json_insert/,
    )
    expect(calls.at(-1)).toContain("WHERE email = 'ada@example.com'")

    const nobody = box.run('admin-grant.mjs', ['--env', 'staging', 'nobody@example.com'])
    expect(nobody.status).toBe(1)
    expect(nobody.output).toContain('register first')
    box.newCalls()

    const hostile = box.run('admin-grant.mjs', ['--env', 'staging', "x'@example.com; DROP TABLE users"])
    expect(hostile.status).toBe(1)
    expect(box.newCalls()).toEqual([])
  })

  it('keys:rotate keeps the old token key published until --finish; destroy removes everything after --yes', () => {
    const box = sandbox()
    expect(box.run('deploy.mjs', ['--env', 'staging', '--skip-health']).status).toBe(0)
    const before = box.account().secrets
    const oldKid = tomlVar(box.config('workers/users/wrangler.toml'), 'staging', 'JWT_PUBLIC_KEY')!.kid

    const rotated = box.run('keys-rotate.mjs', ['--env', 'staging'])
    expect(rotated.status, rotated.output).toBe(0)
    const users = box.config('workers/users/wrangler.toml')
    expect(tomlVar(users, 'staging', 'JWT_PREVIOUS_PUBLIC_KEY')!.kid).toBe(oldKid)
    const newKid = tomlVar(users, 'staging', 'JWT_PUBLIC_KEY')!.kid
    expect(newKid).not.toBe(oldKid)
    const after = box.account().secrets
    expect(JSON.parse(after['users-staging']!.JWT_PRIVATE_KEY!).kid).toBe(newKid)
    expect(after['gateway-staging']).toEqual(before['gateway-staging'])
    expect(rotated.output).toContain('keys:rotate -- --env staging --finish')

    expect(box.run('keys-rotate.mjs', ['--env', 'staging', '--finish']).status).toBe(0)
    expect(tomlVar(box.config('workers/users/wrangler.toml'), 'staging', 'JWT_PREVIOUS_PUBLIC_KEY')).toBeNull()
    for (const value of secretValues(box.account())) expect(box.outputs()).not.toContain(value)

    box.newCalls()
    const refused = box.run('destroy.mjs', ['--env', 'staging'])
    expect(refused.status).toBe(1)
    expect(refused.output).toContain('not confirmed: nothing was deleted')
    expect(box.run('destroy.mjs', ['--env', 'production', '--yes']).output).toContain('refusing to destroy production without --production')
    expect(box.newCalls()).toEqual([])

    const destroyed = box.run('destroy.mjs', ['--env', 'staging', '--yes'])
    expect(destroyed.status, destroyed.output).toBe(0)
    expect(box.account()).toMatchObject({ d1: [], kv: [], queues: [], deployed: [] })
    for (const { config } of WORKERS) {
      const text = box.config(config)
      const staging = text.slice(text.indexOf('[env.staging]'), text.indexOf('[env.production]'))
      expect(staging).not.toMatch(/database_id|^id = |_PUBLIC_KEY/m)
    }
  })
})
