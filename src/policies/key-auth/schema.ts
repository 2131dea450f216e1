// Configuration of the key-auth policy: where the API key travels.
import { z } from 'zod';

/** An HTTP header name (RFC 9110 token). */
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const keyAuthSchema = z
  .object({
    header: z
      .string()
      .min(1)
      .max(64)
      .regex(headerName, 'must be a valid HTTP header name')
      .default('X-API-Key')
      .describe('Request header that carries the API key. Default "X-API-Key"; 1 to 64 characters.'),
    queryParam: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.~-]+$/, 'must be a plain query parameter name')
      .nullable()
      .default(null)
      .describe(
        'Query parameter that may carry the key when the header is absent (it is removed before the request goes upstream). Default null: keys in URLs end up in logs, so this is off unless an API needs it; 1 to 64 characters.',
      ),
  })
  .strict();

export type KeyAuthConfig = z.infer<typeof keyAuthSchema>;
