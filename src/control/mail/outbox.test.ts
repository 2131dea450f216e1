// The outbox on a real folder: messages written whole and private, listed newest first, read
// back by id; ids that are not message ids never reach the file system; the folder stays bounded.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listOutbox,
  newMessageId,
  type OutboxMessage,
  outboxSize,
  pruneOutbox,
  readOutboxMessage,
  writeOutboxMessage,
} from './outbox.ts';

let root = '';
let dir = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'turnpike-outbox-'));
  dir = join(root, 'outbox');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const message = (n: number, html: string | null = null): OutboxMessage => ({
  id: newMessageId(),
  to: `dev${n}@example.com`,
  from: 'Turnpike <no-reply@localhost>',
  subject: `Message ${n}`,
  text: `Body ${n}`,
  html,
  sentAt: new Date().toISOString(),
});

describe('the outbox', () => {
  it('writes one private JSON file per message, lists them newest first and reads one back whole', async () => {
    const sent = [message(1), message(2, '<p>Body 2</p>'), message(3)];
    for (const m of sent) await writeOutboxMessage(dir, m);

    const files = readdirSync(dir);
    expect(files.sort()).toEqual(sent.map((m) => `${m.id}.json`).sort());
    for (const file of files) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);

    expect(await listOutbox(dir, { limit: 10 })).toEqual(
      [...sent].reverse().map(({ id, to, subject, sentAt }) => ({ id, to, subject, sentAt })),
    );
    expect((await listOutbox(dir, { limit: 2 })).map((e) => e.subject)).toEqual(['Message 3', 'Message 2']);
    expect(await readOutboxMessage(dir, sent[1]?.id ?? '')).toEqual(sent[1]);
  });

  it('message ids made in one millisecond still sort in the order they were made', () => {
    const ids = Array.from({ length: 50 }, () => newMessageId(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => /^msg_[0-9a-z]{26}$/.test(id))).toBe(true);
  });

  it('an outbox that was never written to is empty', async () => {
    expect(await listOutbox(dir, { limit: 10 })).toEqual([]);
    expect(await readOutboxMessage(dir, newMessageId())).toBeUndefined();
  });

  it('refuses ids that are not message ids, so no path outside the folder is read', async () => {
    const m = message(1);
    await writeOutboxMessage(dir, m);
    // A file next to the outbox that a traversal would reach.
    writeFileSync(join(root, 'secret.json'), JSON.stringify({ ...m, id: 'secret' }));
    for (const id of [
      '../secret',
      `../outbox/${m.id}`,
      `${m.id}.json`,
      `${m.id}/`,
      m.id.toUpperCase(),
      m.id.replace('msg_', 'aud_'),
      `msg_${'0'.repeat(25)}`,
      '',
    ]) {
      expect(await readOutboxMessage(dir, id), id).toBeUndefined();
    }
    await expect(writeOutboxMessage(dir, { ...m, id: '../escape' })).rejects.toThrow(/not a message id/);
    expect(readdirSync(root).sort()).toEqual(['outbox', 'secret.json']);
  });

  it('skips files that are not messages it wrote', async () => {
    const m = message(1);
    await writeOutboxMessage(dir, m);
    const broken = newMessageId();
    writeFileSync(join(dir, `${broken}.json`), '{ not json');
    const other = newMessageId();
    writeFileSync(join(dir, `${other}.json`), JSON.stringify({ ...m, id: other, extra: true }));
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    expect((await listOutbox(dir, { limit: 10 })).map((e) => e.id)).toEqual([m.id]);
    expect(await readOutboxMessage(dir, broken)).toBeUndefined();
  });

  it('keeps only the newest messages', async () => {
    const sent: OutboxMessage[] = [];
    for (let n = 0; n < 8; n++) {
      sent.push(message(n));
      await writeOutboxMessage(dir, sent[n] as OutboxMessage, 5);
    }
    expect((await listOutbox(dir, { limit: 100 })).map((e) => e.id)).toEqual(
      sent
        .slice(3)
        .reverse()
        .map((m) => m.id),
    );
    expect(readdirSync(dir)).toHaveLength(5);
  });

  it(`keeps ${outboxSize} by default`, async () => {
    mkdirSync(dir);
    const oldest = newMessageId();
    for (const id of [oldest, ...Array.from({ length: outboxSize + 4 }, () => newMessageId())])
      writeFileSync(join(dir, `${id}.json`), '{}');
    await pruneOutbox(dir);
    const left = readdirSync(dir);
    expect(left).toHaveLength(outboxSize);
    expect(left).not.toContain(`${oldest}.json`);
  });
});
