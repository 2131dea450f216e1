// Products: bundles of APIs sold together under plans.
import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { apis } from './apis.ts';
import { createdAt, id, updatedAt } from './common.ts';

export const products = pgTable('products', {
  id: id(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const productApis = pgTable(
  'product_apis',
  {
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    apiId: text('api_id')
      .notNull()
      .references(() => apis.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.productId, t.apiId] }), index('product_apis_api').on(t.apiId)],
);
