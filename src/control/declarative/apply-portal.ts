// Applies the document's `portal`: the branding when given (fields left out take their defaults,
// as with PUT), and the pages and fields lists when present, exactly (others are deleted; a
// deleted field takes its stored values with it). Fields come before accounts and applications,
// so their `customFields` are checked against the file's definitions.
import { portalFields, portalPages } from '../../store/schema/index.ts';
import { resolveBranding } from '../model/portal-branding.ts';
import { getBranding, replaceBranding } from '../services/portal-branding.ts';
import {
  createPortalField,
  deletePortalField,
  toPortalField,
  updatePortalField,
} from '../services/portal-fields.ts';
import {
  createPortalPage,
  deletePortalPage,
  toPortalPage,
  updatePortalPage,
} from '../services/portal-pages.ts';
import { getSignupSettings, replaceSignupSettings } from '../services/portal-signup.ts';
import type { PortalEntry } from './document.ts';
import { type ApplyRun, same } from './run.ts';

export async function applyPortal(run: ApplyRun, entry: PortalEntry): Promise<void> {
  if (entry.branding) {
    const before = await getBranding(run.db);
    const desired = resolveBranding(entry.branding);
    if (!same(desired, before)) {
      const after = await replaceBranding(run.db, entry.branding);
      run.record('update', 'portal-branding', 'branding', { id: null, before, after });
    }
  }
  if (entry.signup) {
    const before = await getSignupSettings(run.db);
    if (!same(entry.signup, before)) {
      const after = await replaceSignupSettings(run.db, entry.signup);
      run.record('update', 'portal-signup', 'signup', { id: null, before, after });
    }
  }
  if (entry.pages) await applyPages(run, entry.pages);
  if (entry.fields) await applyFields(run, entry.fields);
}

async function applyPages(run: ApplyRun, entries: NonNullable<PortalEntry['pages']>): Promise<void> {
  const current = await run.db.select().from(portalPages);
  const wanted = new Set(entries.map((p) => p.slug));
  for (const page of current.filter((p) => !wanted.has(p.slug))) {
    run.step('portal.pages', await deletePortalPage(run.db, page.id));
    run.record('delete', 'portal-page', page.slug, { id: page.id, before: toPortalPage(page) });
  }
  for (const [i, entry] of entries.entries()) {
    const path = `portal.pages[${i}]`;
    const desired = {
      kind: entry.kind,
      title: entry.title,
      body: entry.body ?? '',
      published: entry.published ?? false,
      order: entry.order ?? 0,
    };
    const existing = current.find((p) => p.slug === entry.slug);
    if (!existing) {
      const created = run.step(path, await createPortalPage(run.db, { slug: entry.slug, ...desired }));
      run.record('create', 'portal-page', entry.slug, { id: created.id, after: created });
      continue;
    }
    const { kind, title, body, published, order } = existing;
    if (!same(desired, { kind, title, body, published, order })) {
      const updated = run.step(path, await updatePortalPage(run.db, existing.id, desired));
      run.record('update', 'portal-page', entry.slug, {
        id: existing.id,
        before: toPortalPage(existing),
        after: updated,
      });
    }
  }
}

async function applyFields(run: ApplyRun, entries: NonNullable<PortalEntry['fields']>): Promise<void> {
  const current = await run.db.select().from(portalFields);
  const identity = (f: { target: string; name: string }) => `${f.target}/${f.name}`;
  const wanted = new Set(entries.map(identity));
  for (const field of current.filter((f) => !wanted.has(identity(f)))) {
    run.step('portal.fields', await deletePortalField(run.db, field.id));
    run.record('delete', 'portal-field', identity(field), { id: field.id, before: toPortalField(field) });
  }
  for (const [i, entry] of entries.entries()) {
    const path = `portal.fields[${i}]`;
    const desired = {
      label: entry.label,
      type: entry.type,
      choices: entry.choices ?? [],
      required: entry.required ?? false,
      order: entry.order ?? 0,
    };
    const existing = current.find((f) => identity(f) === identity(entry));
    if (!existing) {
      const created = run.step(path, await createPortalField(run.db, { ...entry, ...desired }));
      run.record('create', 'portal-field', identity(entry), { id: created.id, after: created });
      continue;
    }
    const { label, type, choices, required, order } = existing;
    if (!same(desired, { label, type, choices, required, order })) {
      const updated = run.step(path, await updatePortalField(run.db, existing.id, desired));
      run.record('update', 'portal-field', identity(entry), {
        id: existing.id,
        before: toPortalField(existing),
        after: updated,
      });
    }
  }
}
