import { CACHE_VARS, cacheOptionsOf } from '../../../platform/cache/options'
import { defineConfig } from '../../../platform/env/config'
import { eventRetentionMs, RETENTION_VARS } from '../../../platform/events/retention'
import { INTERNAL_VARS, internalConfig } from '../../../platform/http/internal-app'

/** Every var the inventory Worker reads, parsed once per configuration (the CACHE_* vars in docs/caching.md). */
export const inventoryConfig = defineConfig({ ...INTERNAL_VARS, ...RETENTION_VARS, ...CACHE_VARS }, (vars) => ({
  ...internalConfig(vars),
  eventRetentionMs: eventRetentionMs(vars),
  cache: cacheOptionsOf(vars),
}))

export type InventoryConfig = ReturnType<typeof inventoryConfig>
