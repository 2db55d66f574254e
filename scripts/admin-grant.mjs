// `npm run admin:grant -- --env staging|production <email>`: gives the admin role to a user who
// has already registered (a deployed environment never has a default admin). The user signs in
// again to get a token carrying the role.
import { parseArgs, main } from './deploy/args.mjs'
import { requireLogin } from './deploy/account.mjs'
import { readWorkers } from './deploy/plan.mjs'
import { createWrangler, parseJson } from './deploy/wrangler.mjs'
import { WORKERS } from './workers.mjs'

const USAGE = 'usage: npm run admin:grant -- --env staging|production <email>'
// Plain addresses only: the email is written into SQL (wrangler d1 execute binds no parameters).
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/

/** The statements: add `admin` to the roles unless it is there, then read the roles back. */
export function grantSql(email) {
  const quoted = `'${email.toLowerCase()}'`
  return (
    `UPDATE users SET roles = json_insert(roles, '$[#]', 'admin'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ` +
    `WHERE email = ${quoted} AND NOT EXISTS (SELECT 1 FROM json_each(users.roles) WHERE value = 'admin'); ` +
    `SELECT roles FROM users WHERE email = ${quoted}`
  )
}

await main(async () => {
  const options = parseArgs(process.argv.slice(2), { flags: ['verbose'], usage: USAGE })
  const [email] = options.positionals
  if (!email || options.positionals.length !== 1 || !EMAIL.test(email)) throw new Error(`give one plain email address\n${USAGE}`)
  const [users] = readWorkers(
    options.env,
    WORKERS.filter(({ name }) => name === 'users'),
  )
  const run = createWrangler({ verbose: options.verbose })
  requireLogin(run)
  const answer = run(['d1', 'execute', 'DB', '--remote', '--env', options.env, '-c', users.file, '--json', '--command', grantSql(email)])
  const statements = parseJson(answer.stdout)
  const [row] = statements.at(-1)?.results ?? []
  if (!row) {
    console.error(`No user ${email} in ${options.env}: register first (POST /api/v1/auth/register), then run this again.`)
    return 1
  }
  console.log(
    `${email} now has the roles ${JSON.parse(row.roles).join(', ')} in ${options.env}; sign in again for a token that carries them.`,
  )
  return 0
})
