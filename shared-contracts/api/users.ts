import { EXAMPLES } from '../api-examples'
import { ADMIN, CREDENTIALS, route, SIGNED_IN } from '../route'
import { AdminUserSchema, ChangePasswordRequestSchema, DeleteMeRequestSchema, UpdateMeRequestSchema, UserSchema } from '../users'

export const getMe = route({
  method: 'GET',
  path: '/api/v1/users/me',
  service: 'users',
  access: SIGNED_IN,
  summary: 'The signed-in user',
  tag: 'Users',
  success: { status: 200, schema: UserSchema, example: EXAMPLES.user },
  errors: ['not_found'],
})

export const updateMe = route({
  method: 'PATCH',
  path: '/api/v1/users/me',
  service: 'users',
  access: SIGNED_IN,
  summary: 'Rename the signed-in user',
  description: 'Only `name` may change; any other field is a 400.',
  tag: 'Users',
  body: { schema: UpdateMeRequestSchema, example: { name: 'Ada King' } },
  success: { status: 200, schema: UserSchema, example: EXAMPLES.user },
  errors: ['not_found'],
})

// Deletion and password change check the password again: counted like login.
export const deleteMe = route({
  method: 'DELETE',
  path: '/api/v1/users/me',
  service: 'users',
  access: SIGNED_IN,
  ...CREDENTIALS,
  summary: 'Delete the signed-in account',
  description:
    'The password is checked again. Email, name, password and sessions are removed at once (the email can register again); every other service then removes or anonymises what it holds of the user (`user.deleted`). Orders and payments stay, without the user. Access tokens already issued stay valid until they expire (at most 15 minutes).',
  tag: 'Users',
  body: { schema: DeleteMeRequestSchema, example: { password: EXAMPLES.login.password } },
  success: { status: 202 },
  errors: ['invalid_credentials', 'not_found'],
})

export const changePassword = route({
  method: 'POST',
  path: '/api/v1/users/me/password',
  service: 'users',
  access: SIGNED_IN,
  ...CREDENTIALS,
  summary: "Change the signed-in user's password",
  description:
    'The new password follows the registration rules. Every session of the user ends, except the one whose `refresh_token` is sent along. A wrong current password is a 401 and counts like a failed login.',
  tag: 'Users',
  body: { schema: ChangePasswordRequestSchema, example: EXAMPLES.changePassword },
  success: { status: 204 },
  errors: ['invalid_credentials', 'not_found'],
})

export const adminGetUser = route({
  method: 'GET',
  path: '/api/v1/admin/users/:id',
  service: 'users',
  access: ADMIN,
  summary: "An account's state",
  description: 'Status `active` or `deleted`; no personal data, and none is kept once deleted.',
  tag: 'Admin',
  success: { status: 200, schema: AdminUserSchema, example: EXAMPLES.adminUser },
  errors: ['not_found'],
})
