// Field schemas shared by the admin API and the declarative file, so both accept exactly the
// same values and the OpenAPI document describes them once.
import { z } from 'zod';
import { parsePathPattern, validateBasePath } from '../../shared/path-pattern.ts';
import { isWellFormedApiKey } from '../../shared/secrets.ts';
import { parseTargetUrl } from '../../shared/target-url.ts';

const idLike = /^[a-z]{3}_[0-9a-z]{26}$/;

export const name = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"',
  )
  .refine((v) => !idLike.test(v), 'must not look like an id')
  .describe('Unique name; the identity of the resource in declarative files.');

export const description = z.string().max(2000).describe('Free text for people.');

export const id = (prefix: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), `must be an id starting with "${prefix}_"`)
    .describe(`Id of the resource, starting with \`${prefix}_\`.`);

export const timestamp = z.iso.datetime({ offset: true }).describe('RFC 3339 time.');

export const targetUrl = z
  .string()
  .max(2000)
  .superRefine((value, ctx) => {
    const parsed = parseTargetUrl(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  })
  .describe('Absolute http(s) URL of the target; a path here is prefixed to every upstream request.');

export const weight = z
  .int()
  .min(0)
  .max(10_000)
  .describe('Share of traffic relative to the other targets; 0 drains the target.');

export const basePath = z
  .string()
  .max(500)
  .superRefine((value, ctx) => {
    const problem = validateBasePath(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Literal path prefix the API is served under, such as `/weather/v1`.');

export const routePath = z
  .string()
  .max(1000)
  .superRefine((value, ctx) => {
    const parsed = parsePathPattern(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
  })
  .describe(
    'Path pattern under the base path: literal segments, `{param}` for one segment, a final `*` for the rest.',
  );

export const host = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'must be a lower-case host name, or *.name to match exactly one more label',
  )
  .describe('Host name, lower case, without port; *.example.com matches one label more (a.example.com).');

export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const method = z.enum(httpMethods).describe('HTTP method.');

export const planState = z
  .enum(['staging', 'published', 'deprecated', 'closed'])
  .describe('Lifecycle of the plan; closed plans take no new subscriptions.');
export const planVisibility = z
  .enum(['public', 'hidden'])
  .describe('Hidden plans are not listed to developers.');
export const planApproval = z
  .enum(['auto', 'manual'])
  .describe('Whether new subscriptions start active (auto) or pending (manual).');
export const accountState = z
  .enum(['pending', 'approved', 'suspended'])
  .describe('Only approved accounts can call APIs.');
export const applicationState = z
  .enum(['active', 'suspended'])
  .describe('Only active applications can call APIs.');
export const subscriptionState = z
  .enum(['pending', 'active', 'suspended', 'cancelled', 'rejected'])
  .describe('Only active subscriptions let calls through.');

export const keyLabel = z.string().max(200).describe('Label to tell keys apart.');
export const keyHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (SHA-256)')
  .describe('SHA-256 of the key, hex.');
export const plaintextKey = z
  .string()
  .refine(
    isWellFormedApiKey,
    'must be a Turnpike key (tp_live_… or tp_test_… with a valid checksum); `turnpike keygen` makes one',
  )
  .describe('The key itself; stored only as its SHA-256 hash.');
export const keyPrefixField = z
  .string()
  .max(20)
  .describe('First characters of the key, to recognise it in listings.');

/** Unique values in an array, with the index of the first repeat named in the error. */
export function uniqueItems<T extends z.ZodType>(item: T, what: string) {
  return z.array(item).superRefine((values, ctx) => {
    const seen = new Set<unknown>();
    for (const [i, v] of values.entries()) {
      if (seen.has(v))
        ctx.addIssue({ code: 'custom', path: [i], message: `${what} ${JSON.stringify(v)} appears twice` });
      seen.add(v);
    }
  });
}
