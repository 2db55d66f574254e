// `users/me` through a read replica, against the real D1 of the users project. Local D1 has no
// replicas: a session's queries are the primary's. So each test puts a stand-in behind
// `withSession` — the primary as it is (`replicaInSync`), a copy that has not received the
// account yet (`replicaWithoutRows`), or one that must not be asked (`replicaNeverAsked`) — and
// checks which database answered and what the caller got.
import { describe, expect, it } from 'vitest'
import { registerUser, testEnv, testServices, TEST_PASSWORD } from '../../../../test/support/users'

interface Replica {
  /** The constraints `withSession` was opened with, in order. */
  sessions: string[]
  db: D1Database
}

/** The test's D1, with `withSession` answered by `session` and every opening recorded. */
function withReplica(session: (primary: D1Database) => D1DatabaseSession): Replica {
  const sessions: string[] = []
  const primary = testEnv.DB
  const db = new Proxy(primary, {
    get(target, prop) {
      if (prop === 'withSession')
        return (constraint: string) => {
          sessions.push(constraint)
          return session(target)
        }
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { sessions, db }
}

const replicaInSync = () => withReplica((primary) => primary.withSession('first-unconstrained'))

/** A replica that trails the primary by every row: each query answers nothing. */
const replicaWithoutRows = () =>
  withReplica(() => {
    const none = {
      bind: () => none,
      raw: async () => [],
      all: async () => ({ success: true, results: [], meta: {} }),
      first: async () => null,
    }
    return { prepare: () => none, batch: async () => [], getBookmark: () => null } as unknown as D1DatabaseSession
  })

const replicaNeverAsked = () =>
  withReplica(() => {
    throw new Error('the replica was asked')
  })

describe('users/me through a read replica', () => {
  it('reads the caller from a replica session, constrained only on its first query', async () => {
    const { user, principal } = await registerUser({ name: 'Rosalind' })
    const replica = replicaInSync()
    const me = await testServices(undefined, replica.db).services.users.me(principal)
    expect(me).toEqual({ ok: true, value: user })
    expect(replica.sessions).toEqual(['first-unconstrained'])
  })

  it('confirms with the primary an account the replica does not have yet', async () => {
    const { user, principal } = await registerUser({ name: 'Barbara' })
    const replica = replicaWithoutRows()
    const me = await testServices(undefined, replica.db).services.users.me(principal)
    expect(me).toEqual({ ok: true, value: user })
    expect(replica.sessions).toHaveLength(1)
  })

  it('answers not_found when neither the replica nor the primary knows the account', async () => {
    const replica = replicaWithoutRows()
    const me = await testServices(undefined, replica.db).services.users.me({ id: 'usr_nobody', roles: ['customer'] })
    expect(me).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('reads a user it renamed from the primary, so the caller sees the new name at once', async () => {
    const { principal } = await registerUser({ name: 'Before' })
    const replica = replicaNeverAsked()
    const { users } = testServices(undefined, replica.db).services
    expect(await users.updateMe(principal, { name: 'After' })).toMatchObject({ ok: true })
    expect(await users.me(principal)).toMatchObject({ ok: true, value: { name: 'After' } })
    expect(replica.sessions).toEqual([])
  })

  it('reads a user it erased from the primary: gone at once, whatever a replica still holds', async () => {
    const { principal } = await registerUser()
    const replica = replicaNeverAsked()
    const { users, account } = testServices(undefined, replica.db).services
    expect(await account.deleteMe(principal, { password: TEST_PASSWORD })).toMatchObject({ ok: true })
    expect(await users.me(principal)).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(replica.sessions).toEqual([])
  })
})
