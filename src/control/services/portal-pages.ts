// Content pages of the portal: slugs unique; URLs name a page by id or slug. Developers see only
// published pages, by order then title.
import { and, asc, eq, ne } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { type PageKind, portalPages } from '../../store/schema/index.ts';
import type { PortalPage, PortalPageCreate, PortalPageUpdate } from '../model/portal-page.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof portalPages.$inferSelect;

export function toPortalPage(row: Row): PortalPage {
  return {
    id: row.id,
    slug: row.slug,
    kind: row.kind,
    title: row.title,
    body: row.body,
    published: row.published,
    order: row.order,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function listPortalPages(
  db: Db,
  filter: { kind?: PageKind | undefined },
  page: PageRequest,
): Promise<Page<PortalPage>> {
  return listPage(
    db,
    portalPages,
    [filter.kind ? eq(portalPages.kind, filter.kind) : undefined],
    page,
    toPortalPage,
  );
}

/** Published pages (of one kind) as developers see them: by order, then title. */
export async function publishedPages(db: Db, kind?: PageKind): Promise<Row[]> {
  return db
    .select()
    .from(portalPages)
    .where(and(eq(portalPages.published, true), kind ? eq(portalPages.kind, kind) : undefined))
    .orderBy(asc(portalPages.order), asc(portalPages.title), asc(portalPages.slug));
}

/** A page by id or slug (a slug cannot look like an id: it has no `_`). */
export async function findPortalPage(db: Db, idOrSlug: string): Promise<Row | undefined> {
  const column = isId('page', idOrSlug) ? portalPages.id : portalPages.slug;
  const [row] = await db.select().from(portalPages).where(eq(column, idOrSlug));
  return row;
}

export async function getPortalPage(db: Db, idOrSlug: string): Promise<Result<PortalPage>> {
  const row = await findPortalPage(db, idOrSlug);
  return row ? ok(toPortalPage(row)) : fail('not-found', `no page ${idOrSlug}`);
}

export async function createPortalPage(db: Db, input: PortalPageCreate): Promise<Result<PortalPage>> {
  const taken = await slugTaken(db, input.slug, undefined);
  if (taken) return taken;
  const row = only(
    await db
      .insert(portalPages)
      .values({
        id: newId('page'),
        slug: input.slug,
        kind: input.kind,
        title: input.title,
        body: input.body ?? '',
        published: input.published ?? false,
        order: input.order ?? 0,
      })
      .returning(),
  );
  return ok(toPortalPage(row));
}

export async function updatePortalPage(
  db: Db,
  idOrSlug: string,
  patch: PortalPageUpdate,
): Promise<Result<PortalPage>> {
  const current = await findPortalPage(db, idOrSlug);
  if (!current) return fail('not-found', `no page ${idOrSlug}`);
  if (patch.slug !== undefined && patch.slug !== current.slug) {
    const taken = await slugTaken(db, patch.slug, current.id);
    if (taken) return taken;
  }
  const row = only(
    await db
      .update(portalPages)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(portalPages.id, current.id))
      .returning(),
  );
  return ok(toPortalPage(row));
}

export async function deletePortalPage(db: Db, idOrSlug: string): Promise<Result<void>> {
  const current = await findPortalPage(db, idOrSlug);
  if (!current) return fail('not-found', `no page ${idOrSlug}`);
  await db.delete(portalPages).where(eq(portalPages.id, current.id));
  return ok(undefined);
}

async function slugTaken(
  db: Db,
  slug: string,
  exceptId: string | undefined,
): Promise<Result<never> | undefined> {
  const [row] = await db
    .select({ id: portalPages.id })
    .from(portalPages)
    .where(and(eq(portalPages.slug, slug), exceptId ? ne(portalPages.id, exceptId) : undefined));
  return row ? fail('conflict', `a page with the slug ${slug} already exists`) : undefined;
}
