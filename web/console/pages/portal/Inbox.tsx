// The support inbox: questions and bug reports sent from the portal's contact page, new ones
// first; archived ones apart.
import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { DataTable } from '../../../ui/DataTable.tsx';
import { formatDateTime } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { Empty, ErrorAlert, QueryView } from '../../../ui/states.tsx';
import { api, useAdminList } from '../../api.ts';
import { product } from '../../session.tsx';
import { LoadMore } from '../lists.tsx';
import { messageKind, paths, type SupportMessage } from './portal.ts';

type View = 'inbox' | 'archived';

/** Changes a message's state, then refreshes the lists and the count in the navigation. */
export function useMessageState() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ message, state }: { message: SupportMessage; state: SupportMessage['state'] }) =>
      api.patch<SupportMessage>(paths.message(message.id), { state }),
    onSuccess: async (saved) => {
      client.setQueryData(['admin', paths.messages, saved.id], saved);
      await client.invalidateQueries({
        queryKey: ['admin', paths.messages],
        predicate: (query) => query.queryKey[2] !== saved.id,
      });
    },
  });
}

export function Inbox() {
  usePageTitle('Inbox', product);
  const [view, setView] = useState<View>('inbox');
  return (
    <>
      <PageHeader
        title="Inbox"
        description="Questions and bug reports developers sent from the portal's contact page."
      />
      <Stack gap="md">
        <SegmentedControl
          aria-label="Messages to show"
          w="fit-content"
          value={view}
          onChange={(value) => setView(value === 'archived' ? 'archived' : 'inbox')}
          data={[
            { value: 'inbox', label: 'Inbox' },
            { value: 'archived', label: 'Archived' },
          ]}
        />
        {view === 'inbox' ? <InboxList /> : <ArchivedList />}
      </Stack>
    </>
  );
}

function InboxList() {
  const list = useAdminList<SupportMessage>(paths.messages);
  return (
    <QueryView query={list} loadingLabel="Loading messages…">
      {(all) => {
        // The API answers newest first; unread ones go on top, keeping that order.
        const open = all.filter((m) => m.state !== 'archived');
        const sorted = [...open.filter((m) => m.state === 'new'), ...open.filter((m) => m.state !== 'new')];
        return sorted.length === 0 && !list.hasNextPage ? (
          <Empty
            title="No messages"
            description="Developers write from the Contact page of the portal; their messages arrive here."
          />
        ) : (
          <>
            <MessageTable messages={sorted} archived={false} />
            <LoadMore list={list} />
          </>
        );
      }}
    </QueryView>
  );
}

function ArchivedList() {
  const list = useAdminList<SupportMessage>(paths.messages, { state: 'archived' });
  return (
    <QueryView query={list} loadingLabel="Loading archived messages…">
      {(all) =>
        all.length === 0 ? (
          <Empty title="No archived messages" description="Archive a message once it is dealt with." />
        ) : (
          <>
            <MessageTable messages={all} archived />
            <LoadMore list={list} />
          </>
        )
      }
    </QueryView>
  );
}

function MessageTable({ messages, archived }: { messages: SupportMessage[]; archived: boolean }) {
  const change = useMessageState();
  const busy = (message: SupportMessage) => change.isPending && change.variables.message.id === message.id;
  return (
    <Stack gap="sm">
      {change.isError && <ErrorAlert error={change.error} title="The message was not moved" />}
      <DataTable
        minWidth={720}
        items={messages}
        columns={[
          {
            header: 'Subject',
            cell: (m) => (
              <Group gap="xs" wrap="nowrap">
                <Anchor
                  component={Link}
                  to={`/portal/inbox/${encodeURIComponent(m.id)}`}
                  fw={m.state === 'new' ? 700 : 400}
                >
                  {m.subject}
                </Anchor>
                {m.state === 'new' && (
                  <Badge size="sm" variant="filled" radius="sm" tt="none">
                    new
                  </Badge>
                )}
              </Group>
            ),
          },
          { header: 'Kind', cell: (m) => messageKind(m.kind) },
          {
            header: 'From',
            cell: (m) => (
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {m.email}
              </Text>
            ),
          },
          { header: 'Received', cell: (m) => formatDateTime(m.createdAt) },
          {
            header: 'Actions',
            align: 'right',
            cell: (m) =>
              archived ? (
                <Button
                  variant="default"
                  size="xs"
                  loading={busy(m)}
                  disabled={change.isPending && !busy(m)}
                  onClick={() => change.mutate({ message: m, state: 'read' })}
                  aria-label={`Move message ${m.subject} to the inbox`}
                >
                  Move to inbox
                </Button>
              ) : (
                <Button
                  variant="default"
                  size="xs"
                  loading={busy(m)}
                  disabled={change.isPending && !busy(m)}
                  onClick={() => change.mutate({ message: m, state: 'archived' })}
                  aria-label={`Archive message ${m.subject}`}
                >
                  Archive
                </Button>
              ),
          },
        ]}
      />
    </Stack>
  );
}
