// Configuration of the scopes policy: which token scopes a route or API requires.
import { z } from 'zod';

/** A scope token (RFC 6749 section 3.3): printable ASCII but space, `"` and `\`. */
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export const scopesSchema = z
  .object({
    required: z
      .array(
        z
          .string()
          .min(1)
          .max(256)
          .regex(scopeToken, 'must be a scope token: printable ASCII without spaces, " or \\'),
      )
      .max(100)
      .default([])
      .describe(
        'Scopes the credential must grant, such as "orders:read". Default [], which lets every request through; at most 100, each 1 to 256 characters.',
      ),
    match: z
      .enum(['all', 'any'])
      .default('all')
      .describe('"all": the credential must grant every required scope; "any": at least one. Default "all".'),
  })
  .strict();

export type ScopesConfig = z.infer<typeof scopesSchema>;
