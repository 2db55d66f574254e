import type { UsersService } from './users-service'
import type { UsersRepo } from '../repo/users-repo'

export const DEV_ADMIN_EMAIL = 'admin@example.com'
export const DEV_ADMIN_PASSWORD = 'admin-password-change-me'

export interface DevAdminConfig {
  environment: string
  email: string | undefined
  password: string | undefined
}

/**
 * Local development gets one admin account so the admin API can be tried at once.
 * Only where ENVIRONMENT is `development` (set by the generated `.dev.vars`, never by a deploy):
 * production has no default account and this does nothing there.
 */
export async function ensureDevAdmin(config: DevAdminConfig, repo: UsersRepo, users: UsersService): Promise<void> {
  if (config.environment !== 'development') return
  const email = (config.email ?? DEV_ADMIN_EMAIL).toLowerCase()
  if (await repo.findByEmail(email)) return
  const result = await users.register({ email, name: 'Administrator', password: config.password ?? DEV_ADMIN_PASSWORD }, [
    'customer',
    'admin',
  ])
  if (!result.ok && result.error.code !== 'email_taken') throw new Error(`admin bootstrap failed: ${result.error.code}`)
}
