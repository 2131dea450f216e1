// Sends the notifications of alert events: each webhook and each mail on its own, attempted at
// once, then after 10 s and after 60 s until one succeeds, every attempt written to the event's
// deliveries. Retries live in this process's memory: a stop abandons them (the delivery stays
// `pending` in the history). Secrets are used to sign and never logged.
//
// Events stored in someone else's transaction (a rule disabled, changed or deleted, through the
// admin API or an apply) are held here until that transaction commits: see sendOnceCommitted.
import type { Logger } from 'pino';
import type { StoredDelivery } from '../../store/schema/index.ts';
import type { Mail } from '../mail/mailer.ts';
import type { AlertDelivery } from '../model/alert-event.ts';
import { pendingDelivery, recordDelivery, storedAlertEventIds } from '../services/alert-events.ts';
import type { Db } from '../services/context.ts';
import { type AlertNotice, alertMail, webhookBody } from './notice.ts';
import { type Attempt, postWebhook, webhookTimeoutMs } from './webhook.ts';

export const defaultRetryDelaysMs: readonly number[] = [0, 10_000, 60_000];

export interface Recipients {
  /** `secret` undefined: it could not be unsealed here, so nothing can be signed. */
  webhooks: { url: string; secret: string | undefined }[];
  emails: string[];
}

/** A stored event to announce, and to whom. */
export interface Notification {
  notice: AlertNotice;
  recipients: Recipients;
}

export interface AlertDispatcherOptions {
  /** Sends mail (the platform's mailer); without it, mails fail as not configured. */
  sendMail?: ((mail: Mail) => Promise<void>) | undefined;
  /** The console's address (`http://host:8001/console`), for links; undefined when unknown. */
  consoleUrl?: (() => string | undefined) | undefined;
  /** Delay before each attempt: the first, then each retry. */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  logger?: Logger | undefined;
}

/** The deliveries an event starts with, in the order dispatch() attempts them. */
export function plannedDeliveries(recipients: Recipients): StoredDelivery[] {
  return [
    ...recipients.webhooks.map((w) => pendingDelivery('webhook', w.url)),
    ...recipients.emails.map((e) => pendingDelivery('email', e)),
  ];
}

export class AlertDispatcher {
  readonly #db: Db;
  readonly #options: AlertDispatcherOptions;
  readonly #delays: readonly number[];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Set<Promise<void>>();
  #closed = false;
  #commitCheck: NodeJS.Timeout | undefined;
  #commitCheckDelayMs = firstCommitCheckMs;

  constructor(db: Db, options: AlertDispatcherOptions = {}) {
    this.#db = db;
    this.#options = options;
    this.#delays = options.retryDelaysMs?.length ? options.retryDelaysMs : defaultRetryDelaysMs;
  }

  /** Starts every delivery of a stored event (in the order of plannedDeliveries). */
  dispatch(notice: AlertNotice, recipients: Recipients): void {
    const deliveries = plannedDeliveries(recipients);
    const send = this.#senders(notice, recipients);
    for (const [index, delivery] of deliveries.entries()) {
      this.#schedule(0, () => this.#attempt(notice.id, index, delivery, send[index] as Sender));
    }
  }

  /** One attempt at each channel, recorded nowhere: what `POST /alerts/{id}/test` answers. */
  async test(notice: AlertNotice, recipients: Recipients): Promise<AlertDelivery[]> {
    const send = this.#senders(notice, recipients);
    return Promise.all(
      plannedDeliveries(recipients).map(async (delivery, i) => {
        const result = await (send[i] as Sender)();
        return settle(delivery, result, new Date(), true);
      }),
    );
  }

  /**
   * Resolves once no attempt is running or waiting (for tests), the held events committed by now
   * included.
   */
  async idle(): Promise<void> {
    await this.#sendCommitted();
    while (this.#timers.size > 0 || this.#running.size > 0) {
      await Promise.all([...this.#running]);
      if (this.#timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Abandons waiting retries and waits for the attempts under way. */
  async close(): Promise<void> {
    this.#closed = true;
    watchers.delete(this);
    clearTimeout(this.#commitCheck);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.all([...this.#running]);
  }

  /** Looks for held events: soon, then less and less often while some are still unseen. */
  watchCommits(soon = false): void {
    if (this.#closed || held.size === 0) return;
    if (soon) {
      this.#commitCheckDelayMs = firstCommitCheckMs;
      clearTimeout(this.#commitCheck);
    } else if (this.#commitCheck) return;
    this.#commitCheck = setTimeout(() => {
      this.#commitCheck = undefined;
      void this.#sendCommitted().then(() => {
        this.#commitCheckDelayMs = Math.min(this.#commitCheckDelayMs * 2, lastCommitCheckMs);
        this.watchCommits();
      });
    }, this.#commitCheckDelayMs);
    this.#commitCheck.unref();
  }

  /**
   * Sends the held events found in this store: their transactions committed. Two checks at once
   * are harmless: an event leaves `held` as it is taken, so only one of them sends it.
   */
  async #sendCommitted(): Promise<void> {
    dropExpired(Date.now());
    if (this.#closed || held.size === 0) return;
    const found = await storedAlertEventIds(this.#db, [...held.keys()]).catch(() => []);
    for (const id of found) {
      const notification = held.get(id);
      if (!notification) continue;
      held.delete(id);
      const { notice } = notification;
      this.#options.logger?.info(
        { event: notice.id, rule: notice.rule.name, type: notice.type, reason: notice.reason },
        notice.type === 'alert.firing' ? 'alert firing' : 'alert resolved',
      );
      this.dispatch(notice, notification.recipients);
    }
  }

  #senders(notice: AlertNotice, recipients: Recipients): Sender[] {
    const consoleUrl = this.#options.consoleUrl?.();
    const body = JSON.stringify(webhookBody(notice, consoleUrl));
    const timeoutMs = this.#options.timeoutMs ?? webhookTimeoutMs;
    return [
      ...recipients.webhooks.map(
        (webhook): Sender =>
          async () =>
            webhook.secret === undefined
              ? {
                  ok: false,
                  statusCode: null,
                  error: 'the secret cannot be unsealed here (sealed by another installation?); set it again',
                }
              : postWebhook(webhook.url, body, webhook.secret, notice.id, {
                  timeoutMs,
                  eventType: notice.type,
                }),
      ),
      ...recipients.emails.map(
        (to): Sender =>
          async () =>
            this.#mail(alertMail(notice, to, consoleUrl)),
      ),
    ];
  }

  async #mail(mail: Mail): Promise<Attempt> {
    const send = this.#options.sendMail;
    if (!send) return { ok: false, statusCode: null, error: 'no mailer in this process' };
    try {
      await send(mail);
      return { ok: true, statusCode: null, error: null };
    } catch (error) {
      return { ok: false, statusCode: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  #schedule(attempt: number, run: () => Promise<void>): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const running = run().finally(() => this.#running.delete(running));
      this.#running.add(running);
    }, this.#delays[attempt] ?? 0);
    timer.unref();
    this.#timers.add(timer);
  }

  async #attempt(eventId: string, index: number, delivery: StoredDelivery, send: Sender): Promise<void> {
    const result = await send();
    const last = delivery.attempts + 1 >= this.#delays.length;
    const next = settle(delivery, result, new Date(), last);
    await recordDelivery(this.#db, eventId, index, next).catch((error) =>
      this.#options.logger?.warn({ err: error, event: eventId }, 'recording an alert delivery failed'),
    );
    if (next.state === 'pending') {
      this.#schedule(next.attempts, () => this.#attempt(eventId, index, next, send));
    } else if (next.state === 'failed') {
      this.#options.logger?.warn(
        {
          event: eventId,
          channel: next.channel,
          target: shown(next),
          attempts: next.attempts,
          reason: next.error,
        },
        'alert notification not delivered',
      );
    }
  }
}

type Sender = () => Promise<Attempt>;

function settle(delivery: StoredDelivery, result: Attempt, at: Date, last: boolean): StoredDelivery {
  return {
    ...delivery,
    state: result.ok ? 'delivered' : last ? 'failed' : 'pending',
    attempts: delivery.attempts + 1,
    statusCode: result.statusCode,
    error: result.error,
    lastAttemptAt: at.toISOString(),
    deliveredAt: result.ok ? at.toISOString() : null,
  };
}

/** A webhook URL without its query (which may hold a token), for logs. */
function shown(delivery: StoredDelivery): string {
  if (delivery.channel !== 'webhook') return delivery.target;
  try {
    const url = new URL(delivery.target);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '(unparseable url)';
  }
}

// The dispatcher of each store's control plane, so the admin API's test call sends mail the way
// the evaluator does. Without one (an admin API alone, in tests), webhooks still go out.
const dispatchers = new WeakMap<Db, AlertDispatcher>();

export function registerAlertDispatcher(db: Db, dispatcher: AlertDispatcher): void {
  dispatchers.set(db, dispatcher);
  watchers.add(dispatcher);
  dispatcher.watchCommits(true);
}

// Notifications of events stored inside a transaction this module does not see the end of: a
// service disabling, changing or deleting a rule runs in the caller's write (the admin API's, an
// apply's), which may still fail or be a dry run. Announcing them at once could announce an event
// that rolled back, so they wait here, by event id, and every registered dispatcher of this
// process looks for them in its own store (soon after they arrive, then every few seconds):
// once an event is there its transaction committed, and the dispatcher that saw it sends it. One
// never seen (rolled back) is dropped after `heldForMs`; so is one whose process stops first,
// like a retry (its deliveries stay `pending` in the history).
const held = new Map<string, Notification & { until: number }>();
const watchers = new Set<AlertDispatcher>();
const heldForMs = 120_000;
const firstCommitCheckMs = 10;
const lastCommitCheckMs = 5_000;

function dropExpired(now: number): void {
  for (const [id, notification] of held) if (notification.until <= now) held.delete(id);
}

/** Sends these stored events once the transaction that stored them has committed; never if not. */
export function sendOnceCommitted(notifications: readonly Notification[]): void {
  if (notifications.length === 0) return;
  const now = Date.now();
  dropExpired(now);
  for (const notification of notifications)
    held.set(notification.notice.id, { ...notification, until: now + heldForMs });
  for (const dispatcher of watchers) dispatcher.watchCommits(true);
}

export function alertDispatcherFor(db: Db): AlertDispatcher {
  return dispatchers.get(db) ?? new AlertDispatcher(db);
}
