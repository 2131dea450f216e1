// Products: names unique, every API they bundle must exist. Deleting a product deletes its plans,
// which is refused while any plan has subscriptions.
import { asc, eq, inArray } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { apis, plans, productApis, products, subscriptions } from '../../store/schema/index.ts';
import type { Product, ProductCreate, ProductUpdate } from '../model/product.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findByIdOrName } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof products.$inferSelect;

/** A product as the admin API shows it: its APIs come from their own table, hence the query. */
export async function toProduct(db: Db, row: Row): Promise<Product> {
  const links = await db
    .select({ apiId: productApis.apiId })
    .from(productApis)
    .where(eq(productApis.productId, row.id))
    .orderBy(asc(productApis.apiId));
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    apiIds: links.map((l) => l.apiId),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function listProducts(
  db: Db,
  filter: { name?: string | undefined; apiId?: string | undefined },
  page: PageRequest,
): Promise<Page<Product>> {
  const withApi = filter.apiId
    ? inArray(
        products.id,
        db.select({ id: productApis.productId }).from(productApis).where(eq(productApis.apiId, filter.apiId)),
      )
    : undefined;
  return listPage(
    db,
    products,
    [filter.name ? eq(products.name, filter.name) : undefined, withApi],
    page,
    (row: Row) => toProduct(db, row),
  );
}

export async function getProduct(db: Db, idOrName: string): Promise<Result<Product>> {
  const row = await findByIdOrName(db, products, 'product', idOrName);
  return row ? ok(await toProduct(db, row)) : fail('not-found', `no product ${idOrName}`);
}

export async function createProduct(db: Db, input: ProductCreate): Promise<Result<Product>> {
  const problem = (await nameTaken(db, input.name)) ?? (await missingApis(db, input.apiIds));
  if (problem) return problem;
  const row = only(
    await db
      .insert(products)
      .values({ id: newId('product'), name: input.name, description: input.description ?? '' })
      .returning(),
  );
  await linkApis(db, row.id, input.apiIds);
  return ok(await toProduct(db, row));
}

export async function updateProduct(db: Db, id: string, patch: ProductUpdate): Promise<Result<Product>> {
  const current = await findByIdOrName(db, products, 'product', id);
  if (!current) return fail('not-found', `no product ${id}`);
  const problem =
    (patch.name !== undefined && patch.name !== current.name ? await nameTaken(db, patch.name) : undefined) ??
    (patch.apiIds ? await missingApis(db, patch.apiIds) : undefined);
  if (problem) return problem;
  const row = only(
    await db
      .update(products)
      .set({ name: patch.name, description: patch.description, updatedAt: new Date() })
      .where(eq(products.id, current.id))
      .returning(),
  );
  if (patch.apiIds) {
    await db.delete(productApis).where(eq(productApis.productId, current.id));
    await linkApis(db, current.id, patch.apiIds);
  }
  return ok(await toProduct(db, row));
}

export async function deleteProduct(db: Db, id: string): Promise<Result<void>> {
  const current = await findByIdOrName(db, products, 'product', id);
  if (!current) return fail('not-found', `no product ${id}`);
  const productPlans = await db
    .select({ id: plans.id, name: plans.name })
    .from(plans)
    .where(eq(plans.productId, current.id));
  if (productPlans.length) {
    const [used] = await db
      .select({ planId: subscriptions.planId })
      .from(subscriptions)
      .where(
        inArray(
          subscriptions.planId,
          productPlans.map((p) => p.id),
        ),
      )
      .limit(1);
    if (used) {
      const planName = productPlans.find((p) => p.id === used.planId)?.name;
      return fail(
        'conflict',
        `plan ${planName} of product ${current.name} has subscriptions; delete them first`,
      );
    }
    await db.delete(plans).where(eq(plans.productId, current.id));
  }
  await db.delete(products).where(eq(products.id, current.id));
  return ok(undefined);
}

async function linkApis(db: Db, productId: string, apiIds: string[]): Promise<void> {
  if (apiIds.length) await db.insert(productApis).values(apiIds.map((apiId) => ({ productId, apiId })));
}

async function nameTaken(db: Db, name: string): Promise<Result<never> | undefined> {
  const [row] = await db.select({ id: products.id }).from(products).where(eq(products.name, name));
  return row ? fail('conflict', `a product named ${name} already exists`) : undefined;
}

async function missingApis(db: Db, apiIds: string[]): Promise<Result<never> | undefined> {
  if (!apiIds.length) return undefined;
  const found = new Set(
    (await db.select({ id: apis.id }).from(apis).where(inArray(apis.id, apiIds))).map((r) => r.id),
  );
  const missing = apiIds.filter((id) => !found.has(id));
  return missing.length ? fail('reference-not-found', `no API ${missing.join(', ')}`) : undefined;
}
