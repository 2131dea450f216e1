// The alert evaluator: every minute (TURNPIKE_ALERT_INTERVAL_MS), every enabled rule is measured,
// its state moved on, and the events that makes are stored and then notified. One control plane
// at a time does it: the evaluation runs in a transaction holding an advisory lock, which others
// sharing the PostgreSQL database try, fail to get, and skip that round. A rule whose evaluation
// fails is logged and skipped; the others go on.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { newId } from '../../shared/ids.ts';
import { alertRules, alertStates } from '../../store/schema/index.ts';
import { insertAlertEvent } from '../services/alert-events.ts';
import { unsealedWebhooks } from '../services/alert-webhooks.ts';
import { type AlertRuleRow, enabledAlertRules } from '../services/alerts.ts';
import type { Db } from '../services/context.ts';
import {
  AlertDispatcher,
  type AlertDispatcherOptions,
  plannedDeliveries,
  type Recipients,
  registerAlertDispatcher,
} from './dispatcher.ts';
import { measure } from './measure.ts';
import type { AlertNotice } from './notice.ts';
import { type EventDraft, transitions } from './transitions.ts';

/** Any fixed number, the same in every Turnpike process (the migrations use …001). */
const evaluatorLockId = 7_310_226_002;

/** How often rules are evaluated: TURNPIKE_ALERT_INTERVAL_MS, 60 s by default. */
export function alertIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.TURNPIKE_ALERT_INTERVAL_MS);
  return Number.isInteger(ms) && ms >= 50 ? ms : 60_000;
}

export interface Notification {
  notice: AlertNotice;
  recipients: Recipients;
}

export interface Evaluation {
  /** False when another control plane held the lock: nothing was done. */
  evaluated: boolean;
  notifications: Notification[];
}

/**
 * Evaluates every enabled rule once at `now`, stores states and events, and returns what to
 * notify (after the commit, so a notification never announces an event that rolled back).
 */
export async function evaluateAlerts(
  db: Db,
  now = new Date(),
  onError: (rule: AlertRuleRow, error: unknown) => void = () => {},
): Promise<Evaluation> {
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const locked = (await tx.execute(
      sql`select pg_try_advisory_xact_lock(${evaluatorLockId}) as got`,
    )) as unknown as {
      rows: { got: boolean }[];
    };
    if (!locked.rows[0]?.got) return { evaluated: false, notifications: [] };
    // A disabled rule forgets where it stood: switched on again, it starts afresh.
    await tx
      .delete(alertStates)
      .where(
        inArray(
          alertStates.ruleId,
          tx.select({ id: alertRules.id }).from(alertRules).where(eq(alertRules.enabled, false)),
        ),
      );
    const notifications: Notification[] = [];
    for (const rule of await enabledAlertRules(tx)) {
      try {
        // A savepoint per rule: one that fails leaves the others' work standing.
        notifications.push(
          ...(await tx.transaction((savepoint) => evaluateRule(savepoint as unknown as Db, rule, now))),
        );
      } catch (error) {
        onError(rule, error);
      }
    }
    return { evaluated: true, notifications };
  });
}

async function evaluateRule(db: Db, rule: AlertRuleRow, now: Date): Promise<Notification[]> {
  const measurements = await measure(db, rule, now);
  const states = await db.select().from(alertStates).where(eq(alertStates.ruleId, rule.id));
  const outcome = transitions(rule, measurements, states, now);
  if (outcome.deletes.length > 0)
    await db
      .delete(alertStates)
      .where(and(eq(alertStates.ruleId, rule.id), inArray(alertStates.subject, outcome.deletes)));
  for (const row of outcome.upserts) {
    const { state, value, threshold, since, notifiedAt, evaluatedAt } = row;
    await db
      .insert(alertStates)
      .values(row)
      .onConflictDoUpdate({
        target: [alertStates.ruleId, alertStates.subject],
        set: { state, value, threshold, since, notifiedAt, evaluatedAt },
      });
  }
  if (outcome.events.length === 0) return [];
  const recipients: Recipients = { webhooks: await unsealedWebhooks(db, rule.webhooks), emails: rule.emails };
  const notifications: Notification[] = [];
  for (const event of outcome.events) {
    const notice = noticeOf(rule, event, now);
    await insertAlertEvent(db, {
      id: notice.id,
      ruleId: rule.id,
      ruleName: rule.name,
      ruleKind: rule.kind,
      state: event.state,
      repeat: event.repeat,
      value: event.value,
      threshold: event.threshold,
      subject: event.subject,
      detail: event.detail ?? {},
      windowMinutes: event.window.minutes,
      windowFrom: event.window.from === null ? null : new Date(event.window.from),
      windowTo: event.window.to === null ? null : new Date(event.window.to),
      at: now,
      deliveries: plannedDeliveries(recipients),
    });
    notifications.push({ notice, recipients });
  }
  return notifications;
}

function noticeOf(rule: AlertRuleRow, event: EventDraft, now: Date): AlertNotice {
  return {
    id: newId('alertEvent'),
    type: event.state === 'firing' ? 'alert.firing' : 'alert.resolved',
    rule,
    repeat: event.repeat,
    value: event.value,
    threshold: event.threshold,
    window: event.window,
    subject: event.detail,
    at: now.toISOString(),
  };
}

export interface AlertEvaluatorOptions extends AlertDispatcherOptions {
  intervalMs?: number;
}

/** Evaluates every interval and sends what it finds; close() stops both. */
export class AlertEvaluator {
  readonly dispatcher: AlertDispatcher;
  readonly #db: Db;
  readonly #intervalMs: number;
  readonly #logger: Logger | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #closed = false;

  constructor(db: Db, options: AlertEvaluatorOptions = {}) {
    this.#db = db;
    this.#intervalMs = options.intervalMs ?? alertIntervalMs();
    this.#logger = options.logger;
    this.dispatcher = new AlertDispatcher(db, options);
    registerAlertDispatcher(db, this.dispatcher);
  }

  start(): this {
    this.#next();
    return this;
  }

  /** One round: evaluate, then start the notifications (not waiting for them). */
  async tick(now = new Date()): Promise<Evaluation> {
    const evaluation = await evaluateAlerts(this.#db, now, (rule, error) =>
      this.#logger?.error({ err: error, rule: rule.name }, 'evaluating an alert rule failed'),
    );
    for (const { notice, recipients } of evaluation.notifications) {
      this.#logger?.info(
        { event: notice.id, rule: notice.rule.name, type: notice.type, value: notice.value },
        notice.type === 'alert.firing' ? 'alert firing' : 'alert resolved',
      );
      this.dispatcher.dispatch(notice, recipients);
    }
    return evaluation;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
    await this.dispatcher.close();
  }

  #next(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#running = this.tick()
        .catch((error) => this.#logger?.error({ err: error }, 'evaluating alerts failed'))
        .finally(() => this.#next());
    }, this.#intervalMs);
    this.#timer.unref();
  }
}
