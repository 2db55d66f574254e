import { Hono } from 'hono'
import type { RebuildResult } from '../../../../shared-contracts/operations'
import type { OrdersEnv } from '../services'
import { createViewRepairRepo } from '../repo/view-repair-repo'
import { rebuildReadModel } from '../service/read-model-repair'
import { shardsOf } from '../../../../platform/db/shards'

/** The gateway's `POST /api/v1/admin/read-models/orders/rebuild` (admin): the read model recomputed from the aggregate. */
export const adminReadModelRoutes = new Hono<OrdersEnv>()

adminReadModelRoutes.post('/orders/rebuild', async (c) => {
  // Shard by shard: a user's orders and their views share one (docs/adr/0067).
  const counts = await Promise.all(shardsOf(c.env).map((db) => rebuildReadModel(createViewRepairRepo(db))))
  const rebuilt = counts.reduce((sum, count) => sum + count, 0)
  return c.json({ rebuilt } satisfies RebuildResult)
})
