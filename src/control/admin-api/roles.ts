// Who is calling the admin API, and what their role lets them do. Roles are ordered: each can do
// what the ones below it can. Viewers read; editors also change the configuration; admins also
// manage admin users and tokens (short of owners); owners can do everything.
import type { FastifyRequest } from 'fastify';
import type { AdminRole } from '../../store/schema/admin-tokens.ts';
import type { AuditActor } from '../services/audit.ts';

export type { AdminRole };

// A gateway token ranks below viewer: it reads nothing but the routes open to gateways.
const rank: Record<AdminRole, number> = { gateway: -1, viewer: 0, editor: 1, admin: 2, owner: 3 };

export function hasRole(role: AdminRole, needed: AdminRole): boolean {
  return rank[role] >= rank[needed];
}

/** May `role` call a route that needs `needed`? Gateway routes also take gateway tokens. */
export function mayCall(role: AdminRole, needed: AdminRole, openToGateways: boolean): boolean {
  return hasRole(role, needed) || (role === 'gateway' && openToGateways);
}

export interface Principal {
  kind: 'env-token' | 'token' | 'user';
  /** Token or user id; null for TURNPIKE_ADMIN_TOKEN, which has no row. */
  id: string | null;
  name: string;
  role: AdminRole;
  via: 'admin-api' | 'cli' | 'console';
  /** The console session, when signed in with a password. */
  sessionId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The least role that may call the route; by default viewer for reads, editor for writes. */
    role?: AdminRole;
    /** No credentials needed (the OpenAPI document, signing in). */
    public?: boolean;
    /** Also open to `gateway` tokens (data-plane nodes): /sync. */
    gateway?: boolean;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requiredRole(request: FastifyRequest): AdminRole {
  return request.routeOptions.config.role ?? (safeMethods.has(request.method) ? 'viewer' : 'editor');
}

/** The caller, for the audit trail. Only for routes behind authentication. */
export function actorOf(request: FastifyRequest): AuditActor {
  const principal = request.principal;
  if (!principal) throw new Error(`no principal on ${request.method} ${request.url}`);
  return {
    kind: principal.kind,
    id: principal.id,
    name: principal.name,
    role: principal.role,
    via: principal.via,
    requestId: String(request.id),
    clientIp: request.ip,
  };
}
