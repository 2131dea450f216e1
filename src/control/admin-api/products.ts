// /admin/v1/products
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { product, productCreate, productUpdate } from '../model/product.ts';
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  updateProduct,
} from '../services/products.ts';
import type { AdminContext } from './context.ts';
import { byId, byName } from './filters.ts';
import { registerResource } from './resource.ts';

export function productRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Products',
    singular: 'Product',
    plural: 'Products',
    path: '/products',
    idParam: 'product',
    idDescription: 'Id or name of the product.',
    filter: z.object({ name: byName, apiId: byId('API') }),
    create: productCreate,
    update: productUpdate,
    output: product,
    list: async (db, _parent, filter, page) => ok(await listProducts(db, filter, page)),
    get: (db, _parent, id) => getProduct(db, id),
    insert: (db, _parent, body) => createProduct(db, body),
    change: (db, _parent, id, body) => updateProduct(db, id, body),
    remove: (db, _parent, id) => deleteProduct(db, id),
  });
}
