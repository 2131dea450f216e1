// The history of alerts: events newest first (ids are time-ordered), and what became of each
// notification, written attempt by attempt as deliveries go out.
//
// The reason of a resolved event that no measurement made (the rule disabled, deleted, changed)
// is kept in `detail` as `reason`, beside a quota event's subject, so it needs no column of its
// own; it is taken out of the subject when read.
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { isId } from '../../shared/ids.ts';
import { type AlertSubjectDetail, alertEvents, type StoredDelivery } from '../../store/schema/index.ts';
import {
  type AlertEvent,
  type AlertEventFilter,
  type AlertResolvedReason,
  alertResolvedReason,
} from '../model/alert-event.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

type Row = typeof alertEvents.$inferSelect;
export type AlertEventInsert = typeof alertEvents.$inferInsert;

/** What `detail` stores: the subject, and the reason when there is one. */
export function storedDetail(
  subject: AlertSubjectDetail | null,
  reason: AlertResolvedReason | null,
): AlertSubjectDetail {
  return { ...subject, ...(reason && { reason }) };
}

export function toAlertEvent(row: Row): AlertEvent {
  const { reason, ...subject } = row.detail;
  return {
    id: row.id,
    rule: { id: row.ruleId, name: row.ruleName, kind: row.ruleKind },
    state: row.state,
    repeat: row.repeat,
    value: row.value,
    threshold: row.threshold,
    window: {
      minutes: row.windowMinutes,
      from: row.windowFrom?.toISOString() ?? null,
      to: row.windowTo?.toISOString() ?? null,
    },
    subject: row.subject === '' ? null : subject,
    reason: alertResolvedReason.safeParse(reason).data ?? null,
    at: row.at.toISOString(),
    deliveries: row.deliveries,
  };
}

export async function listAlertEvents(
  db: Db,
  filter: AlertEventFilter,
  page: PageRequest,
): Promise<Page<AlertEvent>> {
  const before = decodeCursor(page.cursor);
  const rows = await db
    .select()
    .from(alertEvents)
    .where(
      and(
        filter.rule === undefined
          ? undefined
          : isId('alertRule', filter.rule)
            ? eq(alertEvents.ruleId, filter.rule)
            : eq(alertEvents.ruleName, filter.rule),
        filter.state === undefined ? undefined : eq(alertEvents.state, filter.state),
        filter.subject === undefined ? undefined : eq(alertEvents.subject, filter.subject),
        before ? lt(alertEvents.id, before) : undefined,
      ),
    )
    .orderBy(desc(alertEvents.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  return { data: items.map(toAlertEvent), next: more ? encodeCursor(items.at(-1)?.id ?? '') : null };
}

export async function getAlertEvent(db: Db, id: string): Promise<AlertEvent | undefined> {
  const [row] = await db.select().from(alertEvents).where(eq(alertEvents.id, id));
  return row ? toAlertEvent(row) : undefined;
}

export async function insertAlertEvent(db: Db, event: AlertEventInsert): Promise<void> {
  await db.insert(alertEvents).values(event);
}

/** Which of these events are stored (and so committed, read from outside their transaction). */
export async function storedAlertEventIds(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: alertEvents.id })
    .from(alertEvents)
    .where(inArray(alertEvents.id, [...ids]));
  return rows.map((row) => row.id);
}

/** Writes one delivery of an event as it stands after an attempt; the others are left alone. */
export async function recordDelivery(
  db: Db,
  eventId: string,
  index: number,
  delivery: StoredDelivery,
): Promise<void> {
  await db.execute(sql`
    update ${alertEvents}
    set deliveries = jsonb_set(deliveries, ${`{${index}}`}::text[], ${JSON.stringify(delivery)}::jsonb)
    where id = ${eventId}`);
}

/** A delivery before its first attempt. */
export function pendingDelivery(channel: StoredDelivery['channel'], target: string): StoredDelivery {
  return {
    channel,
    target,
    state: 'pending',
    attempts: 0,
    statusCode: null,
    error: null,
    lastAttemptAt: null,
    deliveredAt: null,
  };
}
