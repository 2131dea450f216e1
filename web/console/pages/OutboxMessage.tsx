// One message of the outbox, its text version with the links made clickable.
import { Anchor, Breadcrumbs, Paper, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { segment } from '../../ui/api.ts';
import { formatDateTime } from '../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../ui/layout.tsx';
import { QueryView } from '../../ui/states.tsx';
import { api, type OutboxMessage as Message } from '../api.ts';
import { product } from '../session.tsx';

export function OutboxMessage() {
  const { messageId = '' } = useParams();
  const message = useQuery({
    queryKey: ['admin', '/outbox', messageId],
    queryFn: () => api.get<Message>(`/outbox/${segment(messageId)}`),
  });
  usePageTitle(message.data?.subject ?? 'Message', product);
  return (
    <QueryView query={message} loadingLabel="Loading the message…">
      {(m) => (
        <>
          <PageHeader
            before={
              <Breadcrumbs aria-label="Breadcrumb">
                <Anchor component={Link} to="/outbox" size="sm">
                  Outbox
                </Anchor>
                <Text size="sm">Message</Text>
              </Breadcrumbs>
            }
            title={m.subject || '(no subject)'}
          />
          <Table variant="vertical" withTableBorder mb="lg" maw={640}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row" w={100}>
                  From
                </Table.Th>
                <Table.Td>{m.from}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">To</Table.Th>
                <Table.Td>{m.to}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Sent</Table.Th>
                <Table.Td>{formatDateTime(m.sentAt)}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Paper withBorder p="md" component="article" aria-label="Message text">
            <Text className="prewrap" ff="monospace" size="sm">
              {linkify(m.text ?? '')}
            </Text>
          </Paper>
        </>
      )}
    </QueryView>
  );
}

const urlPattern = /\bhttps?:\/\/[^\s<>"']+/g;

/** The text with every http(s) URL as a link; trailing punctuation stays text. */
export function linkify(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    const start = match.index;
    parts.push(<Fragment key={`t${start}`}>{text.slice(last, start)}</Fragment>);
    parts.push(
      <Anchor key={`a${start}`} href={url} style={{ overflowWrap: 'anywhere' }}>
        {url}
      </Anchor>,
    );
    last = start + url.length;
  }
  parts.push(<Fragment key="end">{text.slice(last)}</Fragment>);
  return parts;
}
