// The audit trail: who changed what, before and after. Recorded inside the write's own
// transaction, so a write that rolls back leaves no record and a record never lacks its write.
// Secrets (a new key or token, a password) never reach a record.
import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import { newId } from '../../shared/ids.ts';
import type { AdminRole } from '../../store/schema/admin-tokens.ts';
import type { AccountRole } from '../../store/schema/developers.ts';
import { auditEvents } from '../../store/schema/index.ts';
import type { AuditEvent, AuditFilter } from '../model/audit.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

export interface AuditActor {
  kind: 'env-token' | 'token' | 'user';
  id: string | null;
  name: string;
  role: AdminRole;
  via: 'admin-api' | 'cli' | 'console' | 'portal';
  requestId: string | null;
  clientIp: string | null;
}

/** A developer signed in to the portal, acting in their account's role. */
export interface DeveloperAuditActor extends Omit<AuditActor, 'kind' | 'role'> {
  kind: 'developer';
  role: AccountRole;
}

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Fields that hold a secret, at any depth (a policy's `config.secret` too): shown once to the
 * caller or kept for the gateway, never recorded. A sealed secret is left out as well: with the
 * platform key beside it in the same database, it is as good as the secret.
 */
const secretFields = new Set(['key', 'token', 'password', 'secret', 'clientSecret', 'sealedSecret']);

function withoutSecrets(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([name]) => !secretFields.has(name))
      .map(([name, inner]) => [name, withoutSecrets(inner)]),
  );
}

export async function recordAudit(
  db: Db,
  actor: AuditActor | DeveloperAuditActor,
  entry: AuditEntry,
): Promise<void> {
  await db.insert(auditEvents).values({
    id: newId('auditEvent'),
    actorKind: actor.kind,
    actorId: actor.id,
    actorName: actor.name,
    actorRole: actor.role,
    via: actor.via,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    before: withoutSecrets(entry.before),
    after: withoutSecrets(entry.after),
    requestId: actor.requestId,
    clientIp: actor.clientIp,
  });
}

type Row = typeof auditEvents.$inferSelect;

function toAuditEvent(row: Row): AuditEvent {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: {
      kind: row.actorKind as AuditEvent['actor']['kind'],
      id: row.actorId,
      name: row.actorName,
      role: row.actorRole,
    },
    via: row.via,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    before: (row.before ?? null) as AuditEvent['before'],
    after: (row.after ?? null) as AuditEvent['after'],
    requestId: row.requestId,
    clientIp: row.clientIp,
  };
}

/** Newest first; ids are time-ordered, so the cursor is the last id seen. */
export async function listAuditEvents(
  db: Db,
  filter: AuditFilter,
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  const before = decodeCursor(page.cursor);
  const where: (SQL | undefined)[] = [
    filter.objectType ? eq(auditEvents.objectType, filter.objectType) : undefined,
    filter.objectId ? eq(auditEvents.objectId, filter.objectId) : undefined,
    filter.actorId ? eq(auditEvents.actorId, filter.actorId) : undefined,
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
    filter.since ? gte(auditEvents.at, new Date(filter.since)) : undefined,
    filter.until ? lte(auditEvents.at, new Date(filter.until)) : undefined,
    before ? lt(auditEvents.id, before) : undefined,
  ];
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  return { data: items.map(toAuditEvent), next: more ? encodeCursor(items.at(-1)?.id ?? '') : null };
}

export async function getAuditEvent(db: Db, id: string): Promise<AuditEvent | undefined> {
  const [row] = await db.select().from(auditEvents).where(eq(auditEvents.id, id));
  return row ? toAuditEvent(row) : undefined;
}
