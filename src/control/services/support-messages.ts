// The support inbox: messages from the portal, newest first; the provider marks them read or
// archived. Messages are not configuration: writing them makes no revision.
import { and, desc, eq, lt } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { type SupportMessageState, supportMessages } from '../../store/schema/index.ts';
import type { SupportMessage, SupportMessageInput } from '../model/support-message.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof supportMessages.$inferSelect;

export function toSupportMessage(row: Row): SupportMessage {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    body: row.body,
    email: row.email,
    developerId: row.developerId,
    accountId: row.accountId,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
  };
}

export interface Sender {
  email: string;
  developerId: string | null;
  accountId: string | null;
}

export async function createSupportMessage(
  db: Db,
  input: Omit<SupportMessageInput, 'email'>,
  sender: Sender,
): Promise<SupportMessage> {
  const row = only(
    await db
      .insert(supportMessages)
      .values({
        id: newId('supportMessage'),
        kind: input.kind,
        subject: input.subject,
        body: input.body,
        ...sender,
      })
      .returning(),
  );
  return toSupportMessage(row);
}

/** Newest first; ids are time-ordered, so the cursor is the last id seen. */
export async function listSupportMessages(
  db: Db,
  filter: { state?: SupportMessageState | undefined },
  page: PageRequest,
): Promise<Page<SupportMessage>> {
  const before = decodeCursor(page.cursor);
  const rows = await db
    .select()
    .from(supportMessages)
    .where(
      and(
        filter.state ? eq(supportMessages.state, filter.state) : undefined,
        before ? lt(supportMessages.id, before) : undefined,
      ),
    )
    .orderBy(desc(supportMessages.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  return { data: items.map(toSupportMessage), next: more ? encodeCursor(items.at(-1)?.id ?? '') : null };
}

export async function getSupportMessage(db: Db, id: string): Promise<Result<SupportMessage>> {
  const [row] = isId('supportMessage', id)
    ? await db.select().from(supportMessages).where(eq(supportMessages.id, id))
    : [];
  return row ? ok(toSupportMessage(row)) : fail('not-found', `no message ${id}`);
}

export async function setSupportMessageState(
  db: Db,
  id: string,
  state: SupportMessageState,
): Promise<Result<SupportMessage>> {
  const [row] = isId('supportMessage', id)
    ? await db
        .update(supportMessages)
        .set({ state, updatedAt: new Date() })
        .where(eq(supportMessages.id, id))
        .returning()
    : [];
  return row ? ok(toSupportMessage(row)) : fail('not-found', `no message ${id}`);
}
