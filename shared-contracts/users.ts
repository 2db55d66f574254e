import { z } from 'zod'

export const ROLES = ['customer', 'admin'] as const
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }))
  .transform((email) => email.toLowerCase())
const Name = z.string().trim().min(1, 'must not be empty').max(100)
// 12 is the floor the API promises; the cap bounds the work of hashing. Registration and password change alike.
const NewPassword = z.string().min(12, 'must be at least 12 characters').max(256)
const CurrentPassword = z.string().min(1).max(256)
/** Opaque: `rt_` and 43 base64url characters today; the cap only bounds what is hashed. */
const RefreshToken = z.string().min(1).max(512)

export const RegisterRequestSchema = z.strictObject({
  email: Email,
  password: NewPassword,
  name: Name,
})
export type RegisterRequest = z.infer<typeof RegisterRequestSchema>

export const LoginRequestSchema = z.strictObject({
  email: Email,
  password: CurrentPassword,
})
export type LoginRequest = z.infer<typeof LoginRequestSchema>

/** Only `name` may be changed by its owner; any other field is refused (mass assignment). */
export const UpdateMeRequestSchema = z.strictObject({ name: Name })
export type UpdateMeRequest = z.infer<typeof UpdateMeRequestSchema>

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(RoleSchema),
  created_at: z.string(),
})
export type User = z.infer<typeof UserSchema>

export const TokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  /** Opaque; exchanged once at `POST /api/v1/auth/refresh` for a new pair (rotation). */
  refresh_token: z.string(),
})
export type TokenResponse = z.infer<typeof TokenResponseSchema>

/** `POST /api/v1/auth/refresh` and `POST /api/v1/auth/logout`: the session's current refresh token. */
export const RefreshRequestSchema = z.strictObject({ refresh_token: RefreshToken })
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>

/**
 * `POST /api/v1/users/me/password`. Every session of the user ends, except the one whose
 * refresh token is sent along (the caller's own, so it stays signed in).
 */
export const ChangePasswordRequestSchema = z.strictObject({
  current_password: CurrentPassword,
  new_password: NewPassword,
  refresh_token: RefreshToken.optional(),
})
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>

/** `DELETE /api/v1/users/me`: the password, checked again. */
export const DeleteMeRequestSchema = z.strictObject({ password: CurrentPassword })
export type DeleteMeRequest = z.infer<typeof DeleteMeRequestSchema>

export const ACCOUNT_STATUSES = ['active', 'deleted'] as const

/** An account as an admin sees it (`GET /api/v1/admin/users/{id}`): no personal data, deleted or not. */
export const AdminUserSchema = z.object({
  id: z.string(),
  status: z.enum(ACCOUNT_STATUSES),
  roles: z.array(RoleSchema),
  created_at: z.string(),
  deleted_at: z.string().nullable(),
})
export type AdminUser = z.infer<typeof AdminUserSchema>
