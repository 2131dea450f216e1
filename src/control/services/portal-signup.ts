// How the portal takes new developers: whether their accounts wait for approval.
import { eq } from 'drizzle-orm';
import { portalSignup } from '../../store/schema/index.ts';
import type { Db } from './context.ts';

export interface SignupSettings {
  accountApproval: 'auto' | 'manual';
}

export async function getSignupSettings(db: Db): Promise<SignupSettings> {
  const [row] = await db.select().from(portalSignup).where(eq(portalSignup.id, 1));
  return { accountApproval: row?.accountApproval ?? 'auto' };
}

export async function replaceSignupSettings(db: Db, settings: SignupSettings): Promise<SignupSettings> {
  await db
    .insert(portalSignup)
    .values({ id: 1, ...settings })
    .onConflictDoUpdate({ target: portalSignup.id, set: { ...settings, updatedAt: new Date() } });
  return settings;
}
