// Route: methods and a path pattern under an API, and the metric a call counts against (by how much).
import { z } from 'zod';
import { id, method, name, routePath, timestamp, uniqueItems } from './fields.ts';
import { metric, metricDelta } from './metric.ts';

const fields = {
  name,
  methods: uniqueItems(method, 'method')
    .optional()
    .meta({ default: [] })
    .describe('Methods the route accepts; empty for all.'),
  path: routePath,
  metric: metric.optional().meta({ default: 'hits' }),
  delta: metricDelta.optional().meta({ default: 1 }),
};

export const routeCreate = z.strictObject(fields).meta({ id: 'RouteCreate', description: 'A new route.' });
export const routeUpdate = routeCreate
  .partial()
  .meta({ id: 'RouteUpdate', description: 'Fields to change.' });

export const route = z
  .strictObject({
    id: id('rte'),
    apiId: id('api'),
    name,
    methods: z.array(z.string()),
    path: z.string(),
    metric: z.string(),
    delta: z.int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Route', description: 'A route of an API.' });

export type RouteCreate = z.infer<typeof routeCreate>;
export type RouteUpdate = z.infer<typeof routeUpdate>;
export type Route = z.infer<typeof route>;
