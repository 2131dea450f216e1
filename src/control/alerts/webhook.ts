// One webhook call: the event as JSON, POSTed with its id and signature, 5 s at most, redirects
// not followed. A 2xx answer is delivered; anything else is a failure worth another attempt.
import { request } from 'undici';
import { version } from '../../shared/version.ts';
import { eventIdHeader, signatureHeader, signWebhook } from './signing.ts';

export const webhookTimeoutMs = 5000;

export interface Attempt {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

export async function postWebhook(
  url: string,
  body: string,
  secret: string,
  eventId: string,
  options: { timeoutMs?: number; eventType?: string } = {},
): Promise<Attempt> {
  const timeoutMs = options.timeoutMs ?? webhookTimeoutMs;
  try {
    const response = await request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': `Turnpike/${version}`,
        [eventIdHeader]: eventId,
        ...(options.eventType && { 'turnpike-event-type': options.eventType }),
        [signatureHeader]: signWebhook(secret, body),
      },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body.dump({ limit: 64 * 1024 }).catch(() => {});
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return { ok, statusCode: response.statusCode, error: ok ? null : `answered ${response.statusCode}` };
  } catch (error) {
    return { ok: false, statusCode: null, error: reasonOf(error, timeoutMs) };
  }
}

function reasonOf(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError' || /Timeout/.test(name ?? ''))
    return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { message?: string } } | null)?.cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return (cause ? `${message}: ${cause}` : message).slice(0, 500);
}
