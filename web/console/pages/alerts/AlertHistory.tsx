// The history of alerts, newest first: when each rule fired or resolved, what was measured, and
// what became of every webhook call and mail it sent.
import { Anchor, Badge, Code, List, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { DataTable } from '../../../ui/DataTable.tsx';
import { formatDateTime } from '../../../ui/format.ts';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { type AlertDelivery, type AlertEvent, useAdminList } from '../../api.ts';
import { LoadMore } from '../lists.tsx';
import { formatAlertValue, paths } from './alerts.ts';

export function EventBadge({ event }: { event: Pick<AlertEvent, 'state' | 'repeat'> }) {
  return event.state === 'firing' ? (
    <Badge color="red" variant="light" radius="sm" tt="none" miw="max-content">
      {event.repeat ? 'still firing' : 'firing'}
    </Badge>
  ) : (
    <Badge color="green" variant="light" radius="sm" tt="none" miw="max-content">
      resolved
    </Badge>
  );
}

function Delivery({ delivery }: { delivery: AlertDelivery }) {
  const color = delivery.state === 'delivered' ? 'green' : delivery.state === 'failed' ? 'red' : 'yellow';
  const outcome =
    delivery.state === 'delivered'
      ? `delivered${delivery.statusCode ? ` (${delivery.statusCode})` : ''}`
      : delivery.state === 'failed'
        ? `failed: ${delivery.error ?? 'no answer'}`
        : `pending${delivery.error ? ` (last: ${delivery.error})` : ''}`;
  return (
    <List.Item>
      <Text size="sm" span>
        {delivery.channel === 'webhook' ? 'Webhook' : 'Mail'} <Code>{delivery.target}</Code>{' '}
      </Text>
      <Text size="sm" span c={`${color}.8`}>
        {outcome}
      </Text>
      <Text size="xs" c="dimmed" span>
        {' '}
        · {delivery.attempts} attempt{delivery.attempts === 1 ? '' : 's'}
      </Text>
    </List.Item>
  );
}

export function Deliveries({ deliveries }: { deliveries: AlertDelivery[] }) {
  if (deliveries.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No channels
      </Text>
    );
  return (
    <List size="sm" spacing={2} listStyleType="none">
      {deliveries.map((d) => (
        <Delivery key={`${d.channel}:${d.target}`} delivery={d} />
      ))}
    </List>
  );
}

/** Every event, or one rule's (`rule`: its id). */
export function AlertHistory({ rule }: { rule?: string }) {
  const events = useAdminList<AlertEvent>(paths.events, { rule });
  return (
    <QueryView query={events} loadingLabel="Loading the history…">
      {(items) =>
        items.length === 0 ? (
          <Empty
            title="Nothing has fired yet"
            description="When a rule fires or resolves, it shows here with what each webhook and mail answered."
          />
        ) : (
          <>
            <DataTable
              minWidth={900}
              caption="Alert events, newest first"
              items={items}
              columns={[
                { header: 'When', cell: (e) => formatDateTime(e.at) },
                ...(rule
                  ? []
                  : [
                      {
                        header: 'Rule',
                        cell: (e: AlertEvent) => (
                          <Anchor component={Link} to={paths.rule(e.rule.id)}>
                            {e.rule.name}
                          </Anchor>
                        ),
                      },
                    ]),
                { header: 'State', cell: (e) => <EventBadge event={e} /> },
                {
                  header: 'Value',
                  cell: (e) => (
                    <Stack gap={0}>
                      <Text size="sm">{formatAlertValue(e.rule.kind, e.value)}</Text>
                      <Text size="xs" c="dimmed">
                        threshold {formatAlertValue(e.rule.kind, e.threshold)}
                      </Text>
                    </Stack>
                  ),
                },
                {
                  header: 'Subject',
                  cell: (e) =>
                    e.subject?.subscriptionId ? (
                      <Stack gap={0}>
                        <Code>{String(e.subject.subscriptionId)}</Code>
                        {e.subject.metric && (
                          <Text size="xs" c="dimmed">
                            {e.subject.used} of {e.subject.max} {e.subject.metric} per {e.subject.period}
                          </Text>
                        )}
                      </Stack>
                    ) : (
                      '—'
                    ),
                },
                { header: 'Notifications', cell: (e) => <Deliveries deliveries={e.deliveries} /> },
              ]}
            />
            <LoadMore list={events} />
          </>
        )
      }
    </QueryView>
  );
}
