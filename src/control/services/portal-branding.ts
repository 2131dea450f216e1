// The portal's branding: read (the defaults until a provider saves some) and replaced whole.
import { eq } from 'drizzle-orm';
import { portalBranding } from '../../store/schema/index.ts';
import {
  type Branding,
  type BrandingInput,
  defaultBranding,
  resolveBranding,
} from '../model/portal-branding.ts';
import type { Db } from './context.ts';

export async function getBranding(db: Db): Promise<Branding> {
  const [row] = await db.select().from(portalBranding).where(eq(portalBranding.id, 1));
  if (!row) return { ...defaultBranding, colors: { ...defaultBranding.colors } };
  return {
    name: row.name,
    logo: row.logo,
    favicon: row.favicon,
    colors: row.colors,
    customCss: row.customCss,
    customDomain: row.customDomain,
  };
}

/** Replaces the branding; fields the input leaves out take their defaults. */
export async function replaceBranding(db: Db, input: BrandingInput): Promise<Branding> {
  const branding = resolveBranding(input);
  await db
    .insert(portalBranding)
    .values({ id: 1, ...branding })
    .onConflictDoUpdate({ target: portalBranding.id, set: { ...branding, updatedAt: new Date() } });
  return branding;
}
