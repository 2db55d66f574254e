import type { Role } from '../../shared-contracts/users'

/** A verified caller: who they are and what roles they hold. */
export interface Principal {
  id: string
  roles: Role[]
}
