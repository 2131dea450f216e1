// The alert evaluator: every minute (TURNPIKE_ALERT_INTERVAL_MS), every enabled rule is measured,
// its state moved on, and the events that makes are stored and then notified. A rule whose
// evaluation fails is logged and skipped; the others go on.
//
// In two steps, so that no transaction is open while rollups and usage are read:
// 1. Every enabled rule is measured outside any transaction. These are reads of closed minutes
//    and of usage counts, which need no lock; held in a transaction they would, on PGlite (one
//    connection), hold up usage ingestion and the admin API for as long as the reads take.
// 2. One short transaction takes the advisory lock, re-reads each rule (FOR SHARE, so a change
//    to it waits, see retire.ts) and its states, and writes the transitions and events. Control
//    planes sharing a PostgreSQL database try the lock, and one that cannot get it skips the
//    round, so each transition is still recorded and notified once; what that one measured is
//    wasted, the price of not holding the lock while measuring. A measurement that went stale
//    in between is dropped, and the rule measured again next round: the rule was changed,
//    disabled or deleted, or another control plane recorded a later evaluation of it.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { alertRules, alertStates } from '../../store/schema/index.ts';
import { type AlertRuleRow, enabledAlertRules } from '../services/alerts.ts';
import type { Db } from '../services/context.ts';
import {
  AlertDispatcher,
  type AlertDispatcherOptions,
  type Notification,
  registerAlertDispatcher,
} from './dispatcher.ts';
import { type Measurement, measure } from './measure.ts';
import { recordAlertEvents } from './record.ts';
import { retireAlertStates } from './retire.ts';
import { transitions } from './transitions.ts';

export type { Notification };

/** Any fixed number, the same in every Turnpike process (the migrations use …001). */
const evaluatorLockId = 7_310_226_002;

/** How often rules are evaluated: TURNPIKE_ALERT_INTERVAL_MS, 60 s by default. */
export function alertIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.TURNPIKE_ALERT_INTERVAL_MS);
  return Number.isInteger(ms) && ms >= 50 ? ms : 60_000;
}

export interface Evaluation {
  /** False when another control plane held the lock: nothing was recorded. */
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
  const measured: { rule: AlertRuleRow; measurements: Measurement[] }[] = [];
  for (const rule of await enabledAlertRules(db)) {
    try {
      measured.push({ rule, measurements: await measure(db, rule, now) });
    } catch (error) {
      onError(rule, error);
    }
  }
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const locked = (await tx.execute(
      sql`select pg_try_advisory_xact_lock(${evaluatorLockId}) as got`,
    )) as unknown as {
      rows: { got: boolean }[];
    };
    if (!locked.rows[0]?.got) return { evaluated: false, notifications: [] };
    const notifications: Notification[] = [];
    // A savepoint per rule: one that fails leaves the others' work standing.
    const each = async (rule: AlertRuleRow, work: (db: Db) => Promise<Notification[]>) => {
      try {
        notifications.push(...(await tx.transaction((savepoint) => work(savepoint as unknown as Db))));
      } catch (error) {
        onError(rule, error);
      }
    };
    // The admin API and apply resolve a rule's alerts as they disable it; one disabled some other
    // way (by hand in the database) still has its states: resolve them the same way.
    for (const rule of await disabledRulesWithStates(tx))
      await each(rule, (db) => retireAlertStates(db, rule, 'disabled', now));
    const ids = measured.map((m) => m.rule.id);
    const current = new Map(
      ids.length === 0
        ? []
        : (
            await tx
              .select({ id: alertRules.id, enabled: alertRules.enabled, updatedAt: alertRules.updatedAt })
              .from(alertRules)
              .where(inArray(alertRules.id, ids))
              .for('share')
          ).map((r) => [r.id, r]),
    );
    for (const { rule, measurements } of measured) {
      const stored = current.get(rule.id);
      // Changed, disabled or deleted since it was measured: what was measured may not apply.
      if (!stored?.enabled || stored.updatedAt.getTime() !== rule.updatedAt.getTime()) continue;
      await each(rule, (db) => recordRule(db, rule, measurements, now));
    }
    return { evaluated: true, notifications };
  });
}

function disabledRulesWithStates(db: Db): Promise<AlertRuleRow[]> {
  return db
    .select()
    .from(alertRules)
    .where(
      and(
        eq(alertRules.enabled, false),
        inArray(alertRules.id, db.selectDistinct({ id: alertStates.ruleId }).from(alertStates)),
      ),
    );
}

/** Moves the rule's states on from what it measured, and stores the events that makes. */
async function recordRule(
  db: Db,
  rule: AlertRuleRow,
  measurements: Measurement[],
  now: Date,
): Promise<Notification[]> {
  const states = await db.select().from(alertStates).where(eq(alertStates.ruleId, rule.id));
  // Another control plane measured it later and recorded that first: this is older news.
  if (states.some((s) => s.evaluatedAt.getTime() > now.getTime())) return [];
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
  return recordAlertEvents(db, rule, outcome.events, now);
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
        {
          event: notice.id,
          rule: notice.rule.name,
          type: notice.type,
          value: notice.value,
          reason: notice.reason,
        },
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
