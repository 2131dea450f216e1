// One API: its settings, routes, policies and documentation, each a tab with its own URL
// (/apis/:apiId, …/routes, …/policies, …/documentation).
import { Alert, Code, Group, Stack, Tabs, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Outlet, useLocation, useNavigate, useOutletContext, useParams } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { FormError, QueryView } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { product } from '../../session.tsx';
import { ApiFieldsInputs, apiBodyOf, apiFieldsOf } from './ApiFields.tsx';
import { Crumbs, FormActions } from './parts.tsx';
import { type ApiDetail, forget, paths, refreshAll, useAdminItem } from './resources.ts';

export function useApi(): ApiDetail {
  return useOutletContext<ApiDetail>();
}

const tabs = [
  { value: 'settings', label: 'Settings', path: '' },
  { value: 'routes', label: 'Routes', path: '/routes' },
  { value: 'policies', label: 'Policies', path: '/policies' },
  { value: 'documentation', label: 'Documentation', path: '/documentation' },
];

export function ApiPage() {
  const { apiId = '' } = useParams();
  const item = useAdminItem<ApiDetail>(paths.api(apiId));
  usePageTitle(item.data?.name ?? 'API', product);
  return (
    <QueryView query={item} loadingLabel="Loading the API…">
      {(a) => <ApiFrame api={a} />}
    </QueryView>
  );
}

function ApiFrame({ api: a }: { api: ApiDetail }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const { pathname } = useLocation();
  const base = `/apis/${segment(a.id)}`;
  const current =
    tabs.find((t) => t.path !== '' && pathname.startsWith(`${base}${t.path}`))?.value ?? 'settings';
  return (
    <>
      <PageHeader
        before={<Crumbs list="APIs" to="/apis" current={a.name} />}
        title={
          <Group gap="sm" component="span">
            {a.name}
            {a.version && (
              <Text component="span" c="dimmed" fz="lg">
                {a.version}
              </Text>
            )}
            <StateBadge state={a.lifecycle} />
          </Group>
        }
        description={
          <>
            Served under <Code>{a.basePath}</Code>
            {a.hosts.length > 0 && ` on ${a.hosts.join(', ')}`}
            {a.keyless ? ', without keys.' : '.'}
          </>
        }
        actions={
          <ConfirmButton
            title={`Delete ${a.name}?`}
            message="Its routes and policies go with it, and products no longer include it. Calls to it fail at once."
            confirmLabel="Delete API"
            onConfirm={async () => {
              await api.delete(paths.api(a.id));
              await forget(client, paths.api(a.id));
              navigate('/apis');
            }}
          >
            Delete API
          </ConfirmButton>
        }
      />
      <Tabs
        value={current}
        onChange={(value) => {
          const tab = tabs.find((t) => t.value === value);
          if (tab) navigate(`${base}${tab.path}`);
        }}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          {tabs.map((tab) => (
            <Tabs.Tab key={tab.value} value={tab.value}>
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value={current}>
          <Outlet context={a} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

/** The Settings tab: the API's fields. */
export function ApiSettings() {
  const current = useApi();
  const [fields, setFields] = useState(() => apiFieldsOf(current));
  const [saved, setSaved] = useState(false);
  const client = useQueryClient();
  const navigate = useNavigate();
  const save = useMutation({
    mutationFn: () => api.patch<ApiDetail>(paths.api(current.id), apiBodyOf(fields)),
    onSuccess: async () => {
      await refreshAll(client);
      setSaved(true);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="API settings">
      <Stack gap="lg" maw={760}>
        <ApiFieldsInputs
          value={fields}
          onChange={(value) => {
            setSaved(false);
            setFields(value);
          }}
        />
        <FormError error={save.error} />
        {saved && (
          <Alert color="green" role="status" title="Saved">
            The gateway serves the new settings.
          </Alert>
        )}
        <FormActions
          submit="Save settings"
          busy={save.isPending}
          onCancel={() => {
            setFields(apiFieldsOf(current));
            navigate('/apis');
          }}
        />
      </Stack>
    </form>
  );
}
