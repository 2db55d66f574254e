import { Hono } from 'hono'
import type { RebuildResult } from '../../../../shared-contracts/operations'
import type { OrdersEnv } from '../services'
import { createViewRepairRepo } from '../repo/view-repair-repo'
import { rebuildReadModel } from '../service/read-model-repair'

/** The gateway's `POST /api/v1/admin/read-models/orders/rebuild` (admin): the read model recomputed from the aggregate. */
export const adminReadModelRoutes = new Hono<OrdersEnv>()

adminReadModelRoutes.post('/orders/rebuild', async (c) => {
  const rebuilt = await rebuildReadModel(createViewRepairRepo(c.env.DB))
  return c.json({ rebuilt } satisfies RebuildResult)
})
