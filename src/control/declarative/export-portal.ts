// The `portal` part of an export: written only when the portal has anything of its own (branding
// other than the defaults, pages, fields), so files of installs that never set any stay as they
// were. When written, both lists are written (possibly empty) and the branding with only what
// differs from the defaults, so applying the export reproduces exactly what was exported.
import { asc } from 'drizzle-orm';
import { portalFields, portalPages } from '../../store/schema/index.ts';
import { type Branding, type BrandingInput, defaultBranding } from '../model/portal-branding.ts';
import type { Db } from '../services/context.ts';
import { getBranding } from '../services/portal-branding.ts';
import { getSignupSettings } from '../services/portal-signup.ts';
import type { PortalEntry } from './document.ts';
import { same } from './run.ts';

export async function readPortal(db: Db): Promise<PortalEntry | undefined> {
  const branding = brandingEntry(await getBranding(db));
  const pageRows = await db.select().from(portalPages).orderBy(asc(portalPages.slug));
  const fieldRows = await db
    .select()
    .from(portalFields)
    .orderBy(asc(portalFields.target), asc(portalFields.order), asc(portalFields.name));
  const signup = await getSignupSettings(db);
  const manual = signup.accountApproval === 'manual';
  if (Object.keys(branding).length === 0 && pageRows.length === 0 && fieldRows.length === 0 && !manual)
    return undefined;
  return {
    branding,
    ...(manual && { signup }),
    pages: pageRows.map((p) => ({
      slug: p.slug,
      kind: p.kind,
      title: p.title,
      published: p.published,
      ...(p.order !== 0 && { order: p.order }),
      // The long one last.
      ...(p.body && { body: p.body }),
    })),
    fields: fieldRows.map((f) => ({
      target: f.target,
      name: f.name,
      label: f.label,
      type: f.type,
      ...(f.choices.length > 0 && { choices: f.choices }),
      ...(f.required && { required: true }),
      ...(f.order !== 0 && { order: f.order }),
    })),
  };
}

/** What differs from the defaults; the rest is left out to keep files short. */
function brandingEntry(branding: Branding): BrandingInput {
  const colors = Object.fromEntries(
    Object.entries(branding.colors).filter(
      ([key, value]) => defaultBranding.colors[key as keyof Branding['colors']] !== value,
    ),
  );
  return {
    ...(branding.name !== defaultBranding.name && { name: branding.name }),
    ...(branding.logo !== null && { logo: branding.logo }),
    ...(branding.favicon !== null && { favicon: branding.favicon }),
    ...(!same(colors, {}) && { colors }),
    ...(branding.customDomain !== null && { customDomain: branding.customDomain }),
    ...(branding.customCss && { customCss: branding.customCss }),
  };
}
