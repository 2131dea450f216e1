// Configuration of the mtls-auth policy: whether the certificate must also come from the
// listener's client CA, beside being registered.
import { z } from 'zod';

export const mtlsAuthSchema = z
  .object({
    requireTrustedCa: z
      .boolean()
      .default(false)
      .describe(
        'When true, the client certificate must also chain to the CA the HTTPS listener trusts (--tls-client-ca), beside being registered to an application. Default false: a registered certificate is accepted by its fingerprint alone, self-signed ones included.',
      ),
  })
  .strict();

export type MtlsAuthConfig = z.infer<typeof mtlsAuthSchema>;
