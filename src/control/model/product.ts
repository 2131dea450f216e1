// Product: a bundle of APIs sold together under plans.
import { z } from 'zod';
import { description, id, name, timestamp, uniqueItems } from './fields.ts';

const fields = {
  name,
  description: description.optional().meta({ default: '' }),
  apiIds: uniqueItems(id('api'), 'API').max(500).describe('APIs the product gives access to.'),
};

export const productCreate = z
  .strictObject(fields)
  .meta({ id: 'ProductCreate', description: 'A new product.' });
export const productUpdate = productCreate
  .partial()
  .meta({ id: 'ProductUpdate', description: 'Fields to change.' });

export const product = z
  .strictObject({
    id: id('prd'),
    name,
    description,
    apiIds: z.array(id('api')),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Product', description: 'A product: APIs sold together.' });

export type ProductCreate = z.infer<typeof productCreate>;
export type ProductUpdate = z.infer<typeof productUpdate>;
export type Product = z.infer<typeof product>;
