import { defineConfig } from '../../../platform/env/config'
import { optionalTextVar, requiredTextVar } from '../../../platform/env/vars'
import { eventRetentionMs, RETENTION_VARS } from '../../../platform/events/retention'
import { INTERNAL_VARS, internalConfig } from '../../../platform/http/internal-app'

/**
 * Every var and secret the users Worker reads, parsed once per configuration. JWT_ISSUER and
 * JWT_AUDIENCE are required: tokens must never be issued for a default audience by accident.
 */
export const usersConfig = defineConfig(
  {
    ...INTERNAL_VARS,
    ...RETENTION_VARS,
    JWT_ISSUER: requiredTextVar(),
    JWT_AUDIENCE: requiredTextVar(),
    /** Secret: the ES256 private JWK (with kid) that signs access tokens. */
    JWT_PRIVATE_KEY: optionalTextVar(),
    /** The public JWK of the key before the last rotation, still in the JWKS. */
    JWT_PREVIOUS_PUBLIC_KEY: optionalTextVar(),
    /** The local development admin account (production never has a default). */
    ADMIN_EMAIL: optionalTextVar(),
    ADMIN_PASSWORD: optionalTextVar(),
  },
  (vars) => ({
    ...internalConfig(vars),
    eventRetentionMs: eventRetentionMs(vars),
    tokens: {
      issuer: vars.JWT_ISSUER,
      audience: vars.JWT_AUDIENCE,
      privateKeyJson: vars.JWT_PRIVATE_KEY,
      previousPublicKeyJson: vars.JWT_PREVIOUS_PUBLIC_KEY,
    },
    devAdmin: { environment: vars.ENVIRONMENT, email: vars.ADMIN_EMAIL, password: vars.ADMIN_PASSWORD },
  }),
)

export type UsersConfig = ReturnType<typeof usersConfig>
