// The development outbox: mails written as one JSON file each to <dataDir>/outbox/ instead of
// being sent, listed newest first, read by id, and kept to the newest few so it cannot fill the disk.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { idPrefixes, isId, ulid } from '../../shared/ids.ts';

/** How many messages the outbox keeps; older ones are deleted as new ones arrive. */
export const outboxSize = 1000;

export const outboxMessage = z.strictObject({
  id: z.string().describe('Id of the message (`msg_…`).'),
  to: z.string().describe('Recipient address.'),
  from: z.string().describe('Sender, as the `From` header.'),
  subject: z.string(),
  text: z.string().describe('Plain-text body.'),
  html: z.string().nullable().describe('HTML body; null when the mail is plain text only.'),
  sentAt: z.iso.datetime().describe('When the mail was written to the outbox.'),
});

export type OutboxMessage = z.infer<typeof outboxMessage>;

export const outboxEntry = outboxMessage.pick({ id: true, to: true, subject: true, sentAt: true });

export type OutboxEntry = z.infer<typeof outboxEntry>;

const fileSuffix = '.json';

/** Message ids in file names: only well-formed ones are ever joined to the folder's path. */
const idOfFile = (name: string): string | undefined => {
  const id = name.endsWith(fileSuffix) ? name.slice(0, -fileSuffix.length) : '';
  return isId('message', id) ? id : undefined;
};

let lastTime = 0;

/**
 * A message id later than every one this process made before, so that the outbox's order (ids
 * sort by time) is the order mails were sent even when several go out in one millisecond.
 */
export function newMessageId(now = Date.now()): string {
  lastTime = Math.max(now, lastTime + 1);
  return `${idPrefixes.message}_${ulid(lastTime)}`;
}

/**
 * Writes a message to a temporary file readable by the owner only, then renames it into place,
 * so a reader never sees half a message; then drops the oldest beyond `keep`.
 */
export async function writeOutboxMessage(
  dir: string,
  message: OutboxMessage,
  keep: number = outboxSize,
): Promise<void> {
  if (!isId('message', message.id)) throw new Error(`not a message id: ${message.id}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${message.id}${fileSuffix}`);
  // A dot name, which listing and pruning skip.
  const temporary = join(dir, `.${message.id}${fileSuffix}.tmp`);
  await writeFile(temporary, `${JSON.stringify(message, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await rename(temporary, file);
  await pruneOutbox(dir, keep);
}

/** Ids of the messages in the folder, newest first; none when the folder does not exist. */
async function messageIds(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map(idOfFile)
    .filter((id): id is string => id !== undefined)
    .sort()
    .reverse();
}

/** Deletes every message but the newest `keep`. */
export async function pruneOutbox(dir: string, keep: number = outboxSize): Promise<void> {
  const old = (await messageIds(dir)).slice(keep);
  // force: a concurrent prune may have deleted the same file first.
  await Promise.all(old.map((id) => rm(join(dir, `${id}${fileSuffix}`), { force: true })));
}

/** The whole message, or undefined for an id that is malformed, unknown, or names a broken file. */
export async function readOutboxMessage(dir: string, id: string): Promise<OutboxMessage | undefined> {
  if (!isId('message', id)) return undefined;
  let text: string;
  try {
    text = await readFile(join(dir, `${id}${fileSuffix}`), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = outboxMessage.safeParse(parseJson(text));
  return parsed.success && parsed.data.id === id ? parsed.data : undefined;
}

/** The newest `limit` messages, newest first, without their bodies. */
export async function listOutbox(dir: string, options: { limit: number }): Promise<OutboxEntry[]> {
  const entries: OutboxEntry[] = [];
  for (const id of await messageIds(dir)) {
    if (entries.length >= options.limit) break;
    // Undefined when it was pruned since the folder was read, or is not a message we wrote.
    const message = await readOutboxMessage(dir, id);
    if (message) entries.push({ id, to: message.to, subject: message.subject, sentAt: message.sentAt });
  }
  return entries;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
