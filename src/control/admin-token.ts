// The first admin token. TURNPIKE_ADMIN_TOKEN, when set, is accepted (held only as a hash in
// memory). Otherwise, on a store without tokens, one is generated, stored as a hash and handed
// back once so the caller can print it; later starts never see it again.

import { newId } from '../shared/ids.ts';
import { generateAdminToken, hashSecret } from '../shared/secrets.ts';
import type { Db } from '../store/db.ts';
import { adminTokens } from '../store/schema/index.ts';

export interface AdminTokenSetup {
  envTokenHash?: string;
  /** Plaintext of a token generated on this start; print it once, keep it nowhere. */
  generated?: string;
}

export async function setUpAdminToken(db: Db, envToken: string | undefined): Promise<AdminTokenSetup> {
  if (envToken) return { envTokenHash: hashSecret(envToken) };
  const [existing] = await db.select({ id: adminTokens.id }).from(adminTokens).limit(1);
  if (existing) return {};
  const generated = generateAdminToken();
  await db
    .insert(adminTokens)
    .values({ id: newId('adminToken'), name: 'bootstrap', hash: hashSecret(generated) });
  return { generated };
}
