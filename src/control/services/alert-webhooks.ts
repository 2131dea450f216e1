// Webhook secrets of alert rules: sealed on the way in with a platform key kept apart from the
// rules (src/shared/sealed.ts), opened only to sign a call. A webhook given again without a
// secret keeps the one stored for its URL; one sealed elsewhere (another installation's export)
// is refused, since it could never be opened here.
import { fail, ok, type Result } from '../../shared/errors.ts';
import { seal, unseal } from '../../shared/sealed.ts';
import type { StoredWebhook } from '../../store/schema/index.ts';
import type { Db } from './context.ts';
import { platformSecret } from './platform-secrets.ts';

/** The platform secret webhook secrets are sealed with (src/shared/sealed.ts). */
export const alertSealingKey = 'alert-sealing-key';

/** A webhook as a caller gives it: a plaintext secret, a sealed one (from an export), or neither (keep). */
export interface WebhookInput {
  url: string;
  secret?: string | undefined;
  sealedSecret?: string | undefined;
}

/** The rule's webhooks with their secrets in the clear, for signing; a secret that cannot be opened is left out. */
export async function unsealedWebhooks(
  db: Db,
  webhooks: readonly StoredWebhook[],
): Promise<{ url: string; secret: string | undefined }[]> {
  if (webhooks.length === 0) return [];
  const key = await platformSecret(db, alertSealingKey);
  return webhooks.map((w) => ({ url: w.url, secret: unseal(w.sealedSecret, key) }));
}

/** Sealed webhooks, keeping the stored secret of a URL given without one. */
export async function sealWebhooks(
  db: Db,
  given: readonly WebhookInput[],
  stored: readonly StoredWebhook[],
  at: string,
): Promise<Result<StoredWebhook[]>> {
  const key = given.some((w) => w.secret !== undefined || w.sealedSecret !== undefined)
    ? await platformSecret(db, alertSealingKey)
    : '';
  const sealed: StoredWebhook[] = [];
  for (const [i, webhook] of given.entries()) {
    const path = `${at}.channels.webhooks[${i}]`;
    if (webhook.secret !== undefined)
      sealed.push({ url: webhook.url, sealedSecret: seal(webhook.secret, key) });
    else if (webhook.sealedSecret !== undefined) {
      if (unseal(webhook.sealedSecret, key) === undefined)
        return fail('validation-failed', `${path}.sealedSecret: cannot be unsealed here`, [
          {
            path: `${path}.sealedSecret`,
            message:
              'this secret was sealed by another installation (or altered) and cannot be unsealed here; give the plaintext secret instead',
          },
        ]);
      sealed.push({ url: webhook.url, sealedSecret: webhook.sealedSecret });
    } else {
      const kept = stored.find((w) => w.url === webhook.url);
      if (!kept)
        return fail('validation-failed', `${path}.secret: required for a new webhook URL`, [
          { path: `${path}.secret`, message: 'required for a new webhook URL' },
        ]);
      sealed.push(kept);
    }
  }
  return ok(sealed);
}
