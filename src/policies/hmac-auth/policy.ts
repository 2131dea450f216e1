// hmac-auth: identifies the calling application by an HMAC signature of the request, in the
// Authorization header as Kong's hmac-auth and draft-cavage HTTP signatures have it. Checks that
// need no secret come first; an unknown key id and a wrong signature get the same answer and the
// same work. The body is not covered: a signed digest header is compared as a header only.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { generateHmacSecret } from '../../shared/secrets.ts';
import { applicationInactive, authorizationParameters, identifiedBefore } from '../authorization.ts';
import { deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { CreateOptions, CredentialHint, PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type HmacAlgorithm, type HmacAuthConfig, hmacAuthSchema, signedHeaderName } from './schema.ts';

const description = 'an HMAC signature of the request in the Authorization header';
const digestOf: Record<HmacAlgorithm, string> = {
  'hmac-sha256': 'sha256',
  'hmac-sha384': 'sha384',
  'hmac-sha512': 'sha512',
};
/** Padded base64 (RFC 4648 section 4), as Kong's and draft-cavage's clients send it. */
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** One `name="value"` auth-param and what follows it: a comma or the end. */
const authParam = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*"([^"\\]*)"\s*(,|$)/y;
/** Signed with when the key id is unknown, so both refusals cost one HMAC. */
const noSecret = generateHmacSecret();

/** What the Authorization header says, once it parses. */
interface SignatureParams {
  readonly keyId: string;
  /** Lower-cased; not yet checked against the accepted ones. */
  readonly algorithm: string;
  readonly headers: readonly string[];
  readonly signature: Buffer;
}

export const hmacAuth = {
  name: 'hmac-auth',
  description:
    'Identifies the calling application by an HMAC signature of the request, made with a secret Turnpike generated (Kong’s hmac-auth scheme).',
  phase: 'authenticate',
  priority: 1030,
  schema: hmacAuthSchema,
  credential(config: HmacAuthConfig): CredentialHint {
    return { description, challenge: challengeOf(config) };
  },
  create(config: HmacAuthConfig, options: CreateOptions): PolicyHandler {
    const challenge = { 'www-authenticate': challengeOf(config) };
    const invalid = (detail: string) => deny('signature-invalid', detail, challenge);
    const required = requiredHeaders(config).join(' ');
    // Another credential may be accepted instead: then a request without a signature passes on.
    const missing = options.credentialOptional
      ? undefined
      : deny(
          'credential-missing',
          `Send ${description}: hmac username="…", algorithm="hmac-sha256", headers="${required}", signature="…".`,
          challenge,
        );
    const malformed = invalid(
      'The Authorization header is not "hmac" followed by username, algorithm, headers and signature parameters, each once and in double quotes; headers lists lower-case header names separated by spaces, and signature is padded base64.',
    );
    const unsupported = invalid(
      `The signature's algorithm is not one this API accepts: ${config.algorithms.join(', ')}.`,
    );
    const uncovered = invalid(
      `The signature does not cover every header this API requires; its headers parameter must list ${config.enforceHeaders.join(' ')}.`,
    );
    const absent = invalid('The signature lists a header the request does not carry.');
    const undated = invalid(
      'The signature covers neither a date nor an x-date header, so a copy of the request could be replayed at any time.',
    );
    const stale = invalid(
      `The signed date (x-date, else date) is not an HTTP date within ${config.clockSkewSeconds} seconds of the gateway's clock; sign each request with the current time, and check the client's clock.`,
    );
    // One answer for both, so a caller cannot learn which key ids exist.
    const rejected = invalid(
      'The key id or the signature is not accepted: the credential may have been revoked, or the client signed other values than the gateway received (compare the signing string: one "name: value" line per listed header, @request-target as the lower-case method and the request target).',
    );
    const expired = invalid('The credential has expired; create a new one for the application.');
    const accepted = new Map(config.algorithms.map((a) => [a, digestOf[a]]));
    const skewMs = config.clockSkewSeconds * 1000;

    return function hmacAuthHandler(ctx: PolicyContext): PolicyResponse | undefined {
      const params = authorizationParameters(ctx.header('authorization'), hmacSchemes);
      if (params === undefined) return missing;
      if (identifiedBefore(ctx, options, 'authorization')) return undefined;
      const sent = parseParams(params);
      if (sent === undefined) return malformed;
      const digest = accepted.get(sent.algorithm as HmacAlgorithm);
      if (digest === undefined) return unsupported;
      for (const name of config.enforceHeaders) if (!sent.headers.includes(name)) return uncovered;
      const signingString = signingStringOf(ctx, sent.headers);
      if (signingString === undefined) return absent;
      const dateHeader = sent.headers.includes('x-date')
        ? 'x-date'
        : sent.headers.includes('date')
          ? 'date'
          : '';
      if (dateHeader === '') return undated;
      const signedAt = Date.parse(ctx.header(dateHeader) ?? '');
      // NaN (not a date) fails the comparison too.
      if (!(Math.abs(Date.now() - signedAt) <= skewMs)) return stale;

      const record = ctx.credentials.credential('hmac', sent.keyId);
      const expected = createHmac(digest, record?.secret ?? noSecret)
        .update(signingString)
        .digest();
      const matches = expected.length === sent.signature.length && timingSafeEqual(expected, sent.signature);
      if (record?.secret === undefined || !matches) return rejected;
      if (record.expiresAt !== null && record.expiresAt <= Date.now()) return expired;
      const application = ctx.credentials.application(record.applicationId);
      if (application === undefined || !application.active) return applicationInactive;
      ctx.setConsumer(application);
      // The upstream trusts the gateway's X-Consumer-* headers, not the signature.
      ctx.removeUpstreamHeader('authorization');
      return undefined;
    };
  },
} satisfies PolicyDefinition<HmacAuthConfig>;

/** The enforced headers, plus `date` when neither date nor x-date is among them. */
function requiredHeaders(config: HmacAuthConfig): string[] {
  const names = [...config.enforceHeaders];
  if (!names.includes('date') && !names.includes('x-date')) names.push('date');
  return names;
}

function challengeOf(config: HmacAuthConfig): string {
  return `hmac realm="turnpike", headers="${requiredHeaders(config).join(' ')}"`;
}

const hmacSchemes = ['hmac', 'signature'];

/**
 * The comma-separated `name="value"` parameters, in any order. The key id is `username` (Kong) or
 * `keyId` (draft-cavage); `algorithm` defaults to hmac-sha256 and `headers` to `date`, as in
 * draft-cavage. Other parameters (`created`, `expires`) are ignored; a repeated one is refused.
 */
function parseParams(text: string): SignatureParams | undefined {
  const found = new Map<string, string>();
  authParam.lastIndex = 0;
  while (authParam.lastIndex < text.length) {
    const match = authParam.exec(text);
    if (match === null) return undefined;
    const [, name = '', value = '', separator] = match;
    if (separator === ',' && authParam.lastIndex === text.length) return undefined;
    const key = name.toLowerCase();
    if (found.has(key)) return undefined;
    found.set(key, value);
  }
  const username = found.get('username');
  const keyId = found.get('keyid');
  if ((username === undefined) === (keyId === undefined)) return undefined;
  const id = username ?? keyId ?? '';
  if (id === '' || id.length > 256) return undefined;
  const headers = (found.get('headers') ?? 'date').trim().split(/\s+/);
  if (!headers.every((name) => signedHeaderName.test(name))) return undefined;
  const signature = found.get('signature');
  if (signature === undefined || signature === '' || !base64.test(signature)) return undefined;
  return {
    keyId: id,
    algorithm: (found.get('algorithm') ?? 'hmac-sha256').toLowerCase(),
    headers,
    signature: Buffer.from(signature, 'base64'),
  };
}

/** One `name: value` line per listed header, joined by "\n"; undefined when one is absent. */
function signingStringOf(ctx: PolicyContext, headers: readonly string[]): string | undefined {
  const lines: string[] = [];
  for (const name of headers) {
    const value =
      name === '@request-target' ? `${ctx.method.toLowerCase()} ${ctx.requestTarget()}` : ctx.header(name);
    if (value === undefined) return undefined;
    lines.push(`${name}: ${value}`);
  }
  return lines.join('\n');
}
