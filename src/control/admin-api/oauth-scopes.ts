// /admin/v1/oauth-scopes — the scopes the authorization server grants, each with the sentence
// its consent page shows. Not configuration for the gateway: writes make no new revision.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { oauthScope, oauthScopeCreate, oauthScopeUpdate } from '../model/oauth-scope.ts';
import {
  createOAuthScope,
  deleteOAuthScope,
  getOAuthScope,
  listOAuthScopes,
  updateOAuthScope,
} from '../services/oauth-scopes.ts';
import type { AdminContext } from './context.ts';
import { registerResource } from './resource.ts';

export function oauthScopeRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'OAuth',
    singular: 'OAuthScope',
    plural: 'OAuthScopes',
    noun: 'OAuth scope',
    nouns: 'OAuth scopes',
    path: '/oauth-scopes',
    idParam: 'scope',
    idDescription: 'Id (`scp_…`) or name of the scope.',
    filter: z.object({
      name: z.string().max(128).optional().describe('Only the scope with this exact name.'),
    }),
    create: oauthScopeCreate,
    update: oauthScopeUpdate,
    output: oauthScope,
    configuration: false,
    list: async (db, _parent, filter, page) => ok(await listOAuthScopes(db, filter, page)),
    get: (db, _parent, id) => getOAuthScope(db, id),
    insert: (db, _parent, body) => createOAuthScope(db, body),
    change: (db, _parent, id, body) => updateOAuthScope(db, id, body),
    remove: (db, _parent, id) => deleteOAuthScope(db, id),
  });
}
