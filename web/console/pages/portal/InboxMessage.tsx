// One support message: who sent it and what they wrote. Opening a new message marks it read.
import { Anchor, Badge, Breadcrumbs, Button, Code, Paper, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { ErrorAlert, QueryView } from '../../../ui/states.tsx';
import { api, useNames } from '../../api.ts';
import { product } from '../../session.tsx';
import { useMessageState } from './Inbox.tsx';
import { messageKind, paths, type SupportMessage } from './portal.ts';

export function InboxMessage() {
  const { messageId = '' } = useParams();
  const message = useQuery({
    queryKey: ['admin', paths.messages, messageId],
    queryFn: () => api.get<SupportMessage>(paths.message(messageId)),
  });
  usePageTitle(message.data?.subject ?? 'Message', product);
  return (
    <QueryView query={message} loadingLabel="Loading the message…">
      {(m) => <MessageView message={m} />}
    </QueryView>
  );
}

function MessageView({ message }: { message: SupportMessage }) {
  const change = useMessageState();
  const accountName = useNames('/accounts');
  // Opened once: read. A failure shows below; the message stays new and is tried again next time.
  const marked = useRef(false);
  useEffect(() => {
    if (message.state === 'new' && !marked.current) {
      marked.current = true;
      change.mutate({ message, state: 'read' });
    }
  }, [message, change]);

  const reply = `mailto:${message.email}?subject=${encodeURIComponent(`Re: ${message.subject}`)}`;
  const busy = (state: string) => change.isPending && change.variables.state === state;
  const shownState = change.isPending && change.variables.state === 'read' ? 'read' : message.state;

  return (
    <>
      <PageHeader
        before={
          <Breadcrumbs aria-label="Breadcrumb">
            <Anchor component={Link} to="/portal/inbox" size="sm">
              Inbox
            </Anchor>
            <Text size="sm">Message</Text>
          </Breadcrumbs>
        }
        title={message.subject}
        actions={
          <>
            <Button component="a" href={reply} variant="default">
              Reply by e-mail
            </Button>
            {message.state === 'archived' ? (
              <Button
                variant="default"
                onClick={() => change.mutate({ message, state: 'read' })}
                loading={busy('read')}
              >
                Move to inbox
              </Button>
            ) : (
              <>
                <Button
                  variant="default"
                  onClick={() => change.mutate({ message, state: 'new' })}
                  loading={busy('new')}
                  disabled={message.state === 'new'}
                >
                  Mark as new
                </Button>
                <Button
                  onClick={() => change.mutate({ message, state: 'archived' })}
                  loading={busy('archived')}
                >
                  Archive
                </Button>
              </>
            )}
          </>
        }
      />
      <Stack gap="lg">
        {change.isError && <ErrorAlert error={change.error} title="The message was not updated" />}
        <Table variant="vertical" withTableBorder maw={640}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th scope="row" w={120}>
                Kind
              </Table.Th>
              <Table.Td>{messageKind(message.kind)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">From</Table.Th>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                <Anchor href={`mailto:${message.email}`} inherit>
                  {message.email}
                </Anchor>
                {message.developerId ? ' (signed in)' : ' (not signed in)'}
              </Table.Td>
            </Table.Tr>
            {message.accountId && (
              <Table.Tr>
                <Table.Th scope="row">Account</Table.Th>
                <Table.Td>
                  {accountName(message.accountId)} <Code>{message.accountId}</Code>
                </Table.Td>
              </Table.Tr>
            )}
            {message.developerId && (
              <Table.Tr>
                <Table.Th scope="row">Developer</Table.Th>
                <Table.Td>
                  <Code>{message.developerId}</Code>
                </Table.Td>
              </Table.Tr>
            )}
            <Table.Tr>
              <Table.Th scope="row">Received</Table.Th>
              <Table.Td>{formatDateTime(message.createdAt)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">State</Table.Th>
              <Table.Td>
                <Badge variant="outline" color="gray" radius="sm" tt="none">
                  {shownState}
                </Badge>
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Paper withBorder p="md" component="article" aria-label="Message text">
          <Text className="prewrap">{message.body}</Text>
        </Paper>
      </Stack>
    </>
  );
}
