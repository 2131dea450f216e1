// Policies: the global ones on their own page, an API's (and its routes') on the API's tab. Each
// can be added, changed, switched off and removed; forms come from the policy types' schemas.
import { Anchor, Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { api, useAdminList, useNames } from '../../api.ts';
import { product } from '../../session.tsx';
import { LoadMore } from '../lists.tsx';
import { useApi } from './ApiPage.tsx';
import { PolicyDialog, type PolicyScope } from './PolicyDialog.tsx';
import { Section } from './parts.tsx';
import { type Policy, paths, type Route, refreshAll } from './resources.ts';

/** The config in one line, secrets hidden; `defaults` when empty. */
function summary(config: Record<string, unknown>): string {
  if (Object.keys(config).length === 0) return 'defaults';
  const text = JSON.stringify(config, (key, value) => (key === 'secret' && value ? '•••' : value));
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

function PolicyTable({
  policies,
  where,
  scope,
}: {
  policies: Policy[];
  /** `globally`, `on API weather`, `on route forecast`: names the policy in its buttons. */
  where: (policy: Policy) => string;
  scope: PolicyScope;
}) {
  const client = useQueryClient();
  const [editing, setEditing] = useState<Policy | null>(null);
  return (
    <>
      <Table.ScrollContainer minWidth={720}>
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Policy</Table.Th>
              <Table.Th scope="col">Applies</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">Settings</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {policies.map((policy) => {
              const name = `policy ${policy.name} ${where(policy)}`;
              return (
                <Table.Tr key={policy.id}>
                  <Table.Th scope="row" fw={500}>
                    {policy.name}
                  </Table.Th>
                  <Table.Td>{where(policy)}</Table.Td>
                  <Table.Td>
                    <StateBadge
                      state={policy.enabled ? 'active' : 'closed'}
                      label={policy.enabled ? 'enabled' : 'switched off'}
                    />
                  </Table.Td>
                  <Table.Td maw={360}>
                    <Code style={{ overflowWrap: 'anywhere', whiteSpace: 'normal' }}>
                      {summary(policy.config)}
                    </Code>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => setEditing(policy)}
                        aria-label={`Edit ${name}`}
                      >
                        Edit
                      </Button>
                      <ConfirmButton
                        title={`Remove ${name}?`}
                        message="The gateway stops running it here at once. To keep its settings, switch it off instead."
                        confirmLabel="Remove policy"
                        ariaLabel={`Remove ${name}`}
                        onConfirm={async () => {
                          await api.delete(paths.policy(policy.id));
                          await refreshAll(client);
                        }}
                      >
                        Remove
                      </ConfirmButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <PolicyDialog
        opened={editing !== null}
        onClose={() => setEditing(null)}
        scope={scope}
        policy={editing ?? undefined}
        title={editing ? `Edit policy ${editing.name} ${where(editing)}` : 'Edit policy'}
      />
    </>
  );
}

const implicitNote =
  'With none, an API that is not keyless still checks API keys and subscriptions, and applies plan limits.';

/** The Policies tab of an API: its own policies and its routes'. */
export function ApiPolicies() {
  const current = useApi();
  const policies = useAdminList<Policy>('/policies', { apiId: current.id });
  const routes = useAdminList<Route>(paths.routes(current.id));
  const [adding, setAdding] = useState(false);
  const routeName = (id: string | null) => routes.data?.find((r) => r.id === id)?.name ?? id ?? '';
  const where = (p: Policy) =>
    p.scope === 'route' ? `on route ${routeName(p.routeId)}` : `on API ${current.name}`;
  const scope: PolicyScope = { kind: 'api', apiId: current.id, routes: routes.data ?? [] };
  const add = <Button onClick={() => setAdding(true)}>Add policy</Button>;
  return (
    <Section
      title="Policies"
      description={
        <>
          These run on this API besides the{' '}
          <Anchor component={Link} to="/policies" underline="always">
            global policies
          </Anchor>
          ; one of the same name here replaces the global one. {implicitNote}
        </>
      }
      actions={add}
    >
      <QueryView query={policies} loadingLabel="Loading policies…">
        {(items) =>
          items.length === 0 ? (
            <Empty
              title="No policies on this API"
              description="Add one: CORS, rate limits, JWT, IP rules…"
              action={add}
            />
          ) : (
            <>
              <PolicyTable policies={items} where={where} scope={scope} />
              <LoadMore list={policies} />
            </>
          )
        }
      </QueryView>
      <PolicyDialog
        opened={adding}
        onClose={() => setAdding(false)}
        scope={scope}
        policy={undefined}
        title={`Add a policy to ${current.name}`}
      />
    </Section>
  );
}

/** The Policies page: the global ones, and where the others are. */
export function GlobalPolicies() {
  usePageTitle('Policies', product);
  const global = useAdminList<Policy>('/policies', { scope: 'global' });
  const others = useAdminList<Policy>('/policies');
  const apiName = useNames('/apis');
  const [adding, setAdding] = useState(false);
  const add = <Button onClick={() => setAdding(true)}>Add global policy</Button>;
  const elsewhere = (others.data ?? []).filter((p) => p.scope !== 'global');
  const byApi = new Map<string, number>();
  for (const p of elsewhere) if (p.apiId) byApi.set(p.apiId, (byApi.get(p.apiId) ?? 0) + 1);
  return (
    <>
      <PageHeader
        title="Policies"
        description="What the gateway runs on requests: CORS, IP rules, authentication, rate limits, headers for the upstream."
      />
      <Stack gap="xl">
        <Section
          title="Global policies"
          description={`These run on every API. ${implicitNote}`}
          actions={add}
        >
          <QueryView query={global} loadingLabel="Loading policies…">
            {(items) =>
              items.length === 0 ? (
                <Empty
                  title="No global policies"
                  description="Add one to apply it to every API."
                  action={add}
                />
              ) : (
                <>
                  <PolicyTable policies={items} where={() => 'globally'} scope={{ kind: 'global' }} />
                  <LoadMore list={global} />
                </>
              )
            }
          </QueryView>
        </Section>
        <Section title="On APIs and routes">
          {byApi.size === 0 ? (
            <Text size="sm">No API has policies of its own.</Text>
          ) : (
            <Text size="sm" component="div">
              Each API's Policies tab lists them:{' '}
              {[...byApi].map(([id, count], index) => (
                <span key={id}>
                  {index > 0 && ', '}
                  <Anchor component={Link} to={`/apis/${segment(id)}/policies`} underline="always">
                    {apiName(id)}
                  </Anchor>{' '}
                  ({count})
                </span>
              ))}
              .
            </Text>
          )}
        </Section>
      </Stack>
      <PolicyDialog
        opened={adding}
        onClose={() => setAdding(false)}
        scope={{ kind: 'global' }}
        policy={undefined}
        title="Add a global policy"
      />
    </>
  );
}
