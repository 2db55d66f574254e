import { pageSchema } from '../api-schemas'
import { EXAMPLES } from '../api-examples'
import {
  CreateProductRequestSchema,
  ProductSchema,
  SetStockRequestSchema,
  StockLevelsSchema,
  UpdateProductRequestSchema,
} from '../inventory'
import { ListQuerySchema } from '../pagination'
import { ADMIN, PUBLIC, route } from '../route'

export const listProducts = route({
  method: 'GET',
  path: '/api/v1/products',
  service: 'inventory',
  access: PUBLIC,
  summary: 'List products',
  tag: 'Catalog',
  query: ListQuerySchema,
  conditional: true,
  success: { status: 200, schema: pageSchema(ProductSchema), example: { items: [EXAMPLES.product], next_cursor: null } },
})

export const createProduct = route({
  method: 'POST',
  path: '/api/v1/products',
  service: 'inventory',
  access: ADMIN,
  summary: 'Create a product',
  tag: 'Catalog',
  body: { schema: CreateProductRequestSchema, example: EXAMPLES.createProduct },
  success: { status: 201, schema: ProductSchema, example: EXAMPLES.product, location: true },
  errors: ['sku_taken'],
})

export const getProduct = route({
  method: 'GET',
  path: '/api/v1/products/:id',
  service: 'inventory',
  access: PUBLIC,
  summary: 'One product',
  tag: 'Catalog',
  conditional: true,
  success: { status: 200, schema: ProductSchema, example: EXAMPLES.product },
  errors: ['not_found'],
})

export const updateProduct = route({
  method: 'PATCH',
  path: '/api/v1/products/:id',
  service: 'inventory',
  access: ADMIN,
  summary: 'Change a product',
  tag: 'Catalog',
  body: { schema: UpdateProductRequestSchema, example: { price_cents: 1990 } },
  success: { status: 200, schema: ProductSchema, example: EXAMPLES.product },
  errors: ['not_found'],
})

export const getStock = route({
  method: 'GET',
  path: '/api/v1/inventory/:product_id',
  service: 'inventory',
  access: ADMIN,
  summary: "A product's stock levels",
  tag: 'Catalog',
  success: { status: 200, schema: StockLevelsSchema, example: EXAMPLES.stock },
  errors: ['not_found'],
})

export const setStock = route({
  method: 'PUT',
  path: '/api/v1/inventory/:product_id',
  service: 'inventory',
  access: ADMIN,
  summary: "Set a product's stock on hand",
  tag: 'Catalog',
  body: { schema: SetStockRequestSchema, example: { on_hand: 42 } },
  success: { status: 200, schema: StockLevelsSchema, example: EXAMPLES.stock },
  errors: ['not_found', 'conflict'],
})
