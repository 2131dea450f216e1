// Configuration of the upstream-secret policy: the header and the shared secret it carries.
import { z } from 'zod';

/** An HTTP header name (RFC 9110 token). */
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// Headers that frame or route the upstream request; a secret in one would break every call.
const reserved = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'te', 'upgrade']);

export const upstreamSecretSchema = z
  .object({
    header: z
      .string()
      .min(1)
      .max(64)
      .regex(headerName, 'must be a valid HTTP header name')
      .refine((name) => !reserved.has(name.toLowerCase()), 'must not be a header that frames the request')
      .default('X-Gateway-Secret')
      .describe(
        'Header that carries the secret to the upstream; any copy a client sends is removed. Default "X-Gateway-Secret"; 1 to 64 characters.',
      ),
    secret: z
      .string()
      .min(16)
      .max(512)
      // Visible ASCII only: it must be a valid header value, and spaces at the ends would be trimmed.
      .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces')
      .nullable()
      .default(null)
      .describe(
        'The value the upstream expects in the header. Default null: the policy then only removes any copy a client sends and adds none; 16 to 512 printable ASCII characters, no spaces.',
      ),
  })
  .strict();

export type UpstreamSecretConfig = z.infer<typeof upstreamSecretSchema>;
