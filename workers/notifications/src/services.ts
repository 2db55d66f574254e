import type { MiddlewareHandler } from 'hono'
import { notificationsConfig } from './config'
import type { Env } from './env'
import { createContactsRepo } from './repo/contacts-repo'
import { createNotificationsRepo } from './repo/notifications-repo'
import { createDeliveryService } from './service/delivery-service'
import { createNotificationsService } from './service/notifications-service'
import type { Caller } from '../../../platform/auth/internal-credential'
import type { NotificationsConfig } from './config'
import type { NotificationsService } from './service/notifications-service'

/** What the queue handler and the sweep need: built from the bindings, once per invocation. */
export function backgroundServices(env: Env, now: () => Date = () => new Date()) {
  const config = notificationsConfig(env)
  const repo = createNotificationsRepo(env.DB)
  return {
    db: env.DB,
    repo,
    contacts: createContactsRepo(env.DB),
    delivery: createDeliveryService({ repo, delivery: config.delivery, now }),
    retryBaseSeconds: config.retryBaseSeconds,
    now,
  }
}
export type BackgroundServices = ReturnType<typeof backgroundServices>

/** Builds the services a request needs, once, and sets them on the context. */
export function services(): MiddlewareHandler<NotificationsEnv> {
  return async function services(c, next) {
    c.set('services', { notifications: createNotificationsService({ repo: createNotificationsRepo(c.env.DB) }) })
    await next()
  }
}

/** The Hono env of this Worker's app: its bindings, and what its middleware sets on the context. */
export interface NotificationsEnv {
  Bindings: Env
  Variables: {
    requestId: string
    caller: Caller
    config: NotificationsConfig
    services: { notifications: NotificationsService }
  }
}
