// Upstreams: the services behind the APIs, with their targets and how the gateway reaches them.
import { Anchor, Button, Code, List, Text } from '@mantine/core';
import { Link } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { type Api, useAdminList } from '../../api.ts';
import { ListPage } from '../lists.tsx';
import type { Upstream } from './resources.ts';

export function Upstreams() {
  const list = useAdminList<Upstream>('/upstreams');
  const apis = useAdminList<Api>('/apis');
  const usedBy = (upstream: Upstream) =>
    (apis.data ?? []).filter((a) => a.upstreamId === upstream.id).map((a) => a.name);
  const create = (
    <Button component={Link} to="/upstreams/new">
      Create upstream
    </Button>
  );
  return (
    <ListPage
      title="Upstreams"
      description="The services the gateway sends API calls to: their targets, balancing, health checks, timeouts and retries."
      actions={create}
      list={list}
      empty={{
        title: 'No upstreams yet',
        description: 'An API needs an upstream to send its calls to: create one first.',
        action: create,
      }}
      columns={[
        {
          header: 'Name',
          cell: (u) => (
            <Anchor component={Link} to={`/upstreams/${segment(u.id)}`}>
              {u.name}
            </Anchor>
          ),
        },
        {
          header: 'Targets',
          cell: (u) => (
            <List size="sm" spacing={0} listStyleType="none">
              {u.targets.map((t) => (
                <List.Item key={t.url}>
                  <Code>{t.url}</Code>
                  {u.targets.length > 1 && ` · weight ${t.weight}`}
                </List.Item>
              ))}
            </List>
          ),
        },
        { header: 'Balancing', cell: (u) => u.balancing.algorithm },
        {
          header: 'Health checks',
          cell: (u) =>
            [u.healthChecks.active && 'active', u.healthChecks.passive && 'circuit breaker']
              .filter(Boolean)
              .join(', ') || 'off',
        },
        {
          header: 'Used by',
          cell: (u) => {
            const names = usedBy(u);
            return <Text size="sm">{names.length === 0 ? 'no API' : names.join(', ')}</Text>;
          },
        },
      ]}
    />
  );
}
