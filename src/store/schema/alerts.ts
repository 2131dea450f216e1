// Alerts: rules evaluated on the analytics rollups and the metered usage, the state each rule
// (and, for quota rules, each subscription) is in, and the history of firing and resolved events
// with what became of each notification. Rules are not gateway configuration.
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';

export type AlertKind = 'error-rate' | 'latency' | 'traffic-drop' | 'quota';
export type AlertStatusClass = '5xx' | 'errors';
export type AlertPercentile = 'p50' | 'p95' | 'p99';

/** Ids of the objects whose traffic a rule watches; absent: all. */
export interface AlertScope {
  apiId?: string;
  routeId?: string;
  applicationId?: string;
  accountId?: string;
  planId?: string;
}

/** A webhook as stored: its secret sealed (src/shared/sealed.ts), never in the clear. */
export interface StoredWebhook {
  url: string;
  sealedSecret: string;
}

export const alertRules = pgTable('alert_rules', {
  id: id(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  enabled: boolean('enabled').notNull().default(true),
  kind: text('kind').$type<AlertKind>().notNull(),
  /** Null for quota rules: each plan limit has its own window. */
  windowMinutes: integer('window_minutes'),
  threshold: doublePrecision('threshold'),
  statusClass: text('status_class').$type<AlertStatusClass>(),
  percentile: text('percentile').$type<AlertPercentile>(),
  minRequests: integer('min_requests'),
  absoluteMinimum: integer('absolute_minimum'),
  /** Notify again while still firing, every so many minutes; null: once. */
  repeatMinutes: integer('repeat_minutes'),
  scope: jsonb('scope').$type<AlertScope>().notNull().default({}),
  webhooks: jsonb('webhooks').$type<StoredWebhook[]>().notNull().default([]),
  emails: text('emails').array().notNull().default([]),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Where each rule stands: one row per rule (subject '') once evaluated, and for quota rules one
 * per subscription (subject: its id) while it is firing.
 */
export const alertStates = pgTable(
  'alert_states',
  {
    ruleId: text('rule_id')
      .notNull()
      .references(() => alertRules.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull().default(''),
    state: text('state').$type<'ok' | 'firing'>().notNull(),
    value: doublePrecision('value'),
    threshold: doublePrecision('threshold'),
    /** When it entered this state. */
    since: timestamp('since', { withTimezone: true, mode: 'date' }).notNull(),
    /** When the last notification of this firing went out (for repeats). */
    notifiedAt: timestamp('notified_at', { withTimezone: true, mode: 'date' }),
    evaluatedAt: timestamp('evaluated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ name: 'alert_states_pk', columns: [t.ruleId, t.subject] })],
);

export type AlertDeliveryChannel = 'webhook' | 'email';

/** One notification of an event: a webhook call or a mail, with every attempt counted. */
export interface StoredDelivery {
  channel: AlertDeliveryChannel;
  target: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** The webhook's last HTTP status. */
  statusCode: number | null;
  /** Why the last attempt failed. */
  error: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}

/** What a quota event is about: the subscription and the limit nearest its end. */
export type AlertSubjectDetail = Record<string, string | number | null>;

/** History: no foreign key, so events outlive the rule (they keep its name and kind). */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: id(),
    ruleId: text('rule_id').notNull(),
    ruleName: text('rule_name').notNull(),
    ruleKind: text('rule_kind').$type<AlertKind>().notNull(),
    state: text('state').$type<'firing' | 'resolved'>().notNull(),
    /** A firing event sent again while the rule stays firing (`repeatMinutes`). */
    repeat: boolean('repeat').notNull().default(false),
    value: doublePrecision('value'),
    threshold: doublePrecision('threshold'),
    subject: text('subject').notNull().default(''),
    detail: jsonb('detail').$type<AlertSubjectDetail>().notNull().default({}),
    windowMinutes: integer('window_minutes'),
    windowFrom: timestamp('window_from', { withTimezone: true, mode: 'date' }),
    windowTo: timestamp('window_to', { withTimezone: true, mode: 'date' }),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    deliveries: jsonb('deliveries').$type<StoredDelivery[]>().notNull().default([]),
  },
  (t) => [index('alert_events_rule').on(t.ruleId, t.id)],
);
