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

export const RegisterRequestSchema = z.strictObject({
  email: Email,
  // 12 is the floor (DESIGN §4); the cap bounds the work of hashing.
  password: z.string().min(12, 'must be at least 12 characters').max(256),
  name: Name,
})
export type RegisterRequest = z.infer<typeof RegisterRequestSchema>

export const LoginRequestSchema = z.strictObject({
  email: Email,
  password: z.string().min(1).max(256),
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
})
export type TokenResponse = z.infer<typeof TokenResponseSchema>
