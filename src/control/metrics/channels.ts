// What the control plane does, published on node:diagnostics_channel for its metrics (and tests)
// to subscribe to: HTTP requests of the admin and portal servers, batches handed over by
// gateways, mails. Publishers never import the metrics; with nobody listening, publishing is free.
import { channel } from 'node:diagnostics_channel';

export interface ControlRequestEvent {
  server: 'admin' | 'portal';
  method: string;
  /** The route's template (`/admin/v1/apis/:api`), never the URL; '' when no route matched. */
  route: string;
  status: number;
  seconds: number;
}

/** What batches hold; analytics batches will be a second kind. */
export const batchKinds = ['usage'] as const;
/** `node`: a data-plane node over HTTP; `local`: this process's own gateway workers. */
export const batchSources = ['node', 'local'] as const;
/** What became of one batch a gateway handed over. */
export const batchResults = ['stored', 'duplicate', 'refused', 'failed'] as const;
export type BatchResult = (typeof batchResults)[number];

export interface BatchEvent {
  kind: (typeof batchKinds)[number];
  source: (typeof batchSources)[number];
  result: BatchResult;
  entries: number;
}

/** Analytics a batch carried that could not be stored (malformed, or refused by the database): its usage was. */
export interface AnalyticsDroppedEvent {
  reason: 'invalid' | 'store-failed';
  rollups: number;
  requests: number;
}

export const mailTransports = ['smtp', 'outbox'] as const;
export const mailResults = ['sent', 'failed'] as const;

export interface MailEvent {
  transport: (typeof mailTransports)[number];
  result: (typeof mailResults)[number];
}

export const controlRequestChannel = channel('turnpike:control:request');
export const batchChannel = channel('turnpike:control:batch');
export const mailChannel = channel('turnpike:control:mail');
export const analyticsDroppedChannel = channel('turnpike:control:analytics-dropped');

export function publishAnalyticsDropped(event: AnalyticsDroppedEvent): void {
  if (analyticsDroppedChannel.hasSubscribers) analyticsDroppedChannel.publish(event);
}

export function publishMail(event: MailEvent): void {
  if (mailChannel.hasSubscribers) mailChannel.publish(event);
}
