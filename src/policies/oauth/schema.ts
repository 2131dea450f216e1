// Configuration of the oauth policy: nothing to set. The issuer, audience and keys come from
// Turnpike's own authorization server, through the snapshot.
import { z } from 'zod';

export const oauthSchema = z.object({}).strict();

export type OAuthConfig = z.infer<typeof oauthSchema>;
