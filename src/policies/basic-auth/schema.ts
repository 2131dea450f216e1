// Configuration of the basic-auth policy: the realm its challenge names.
import { z } from 'zod';

/** Printable ASCII without `"` and `\`, so the realm is a plain quoted-string (RFC 9110). */
const realmText = /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/;

export const basicAuthSchema = z
  .object({
    realm: z
      .string()
      .min(1)
      .max(64)
      .regex(realmText, 'must be printable ASCII without quotes or backslashes')
      .default('turnpike')
      .describe(
        'Realm named in the WWW-Authenticate challenge; browsers show it in their sign-in prompt. Default "turnpike"; 1 to 64 printable ASCII characters, no " or \\.',
      ),
  })
  .strict();

export type BasicAuthConfig = z.infer<typeof basicAuthSchema>;
