// One application: its name and state, and tabs for its keys, subscriptions and usage, each
// its own URL (/applications/:id, …/subscriptions, …/usage).
import { Anchor, Breadcrumbs, Group, Tabs, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useLocation, useNavigate, useOutletContext, useParams } from 'react-router';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { QueryView } from '../../../ui/states.tsx';
import { type Application, api, paths } from '../../api.ts';
import { product } from '../../session.tsx';
import { ApplicationFields, EditApplication } from '../fields/EditApplication.tsx';
import { applicationsKey } from './Applications.tsx';

export const applicationKey = (id: string) => ['applications', id] as const;

export function useApplication(): Application {
  return useOutletContext<Application>();
}

const tabs = [
  { value: 'keys', label: 'Keys', path: '' },
  { value: 'subscriptions', label: 'Subscriptions', path: '/subscriptions' },
  { value: 'usage', label: 'Usage', path: '/usage' },
  { value: 'oauth', label: 'OAuth', path: '/oauth' },
];

export function ApplicationPage() {
  const { applicationId = '' } = useParams();
  const application = useQuery({
    queryKey: applicationKey(applicationId),
    queryFn: () => api.get<Application>(paths.application(applicationId)),
  });
  usePageTitle(application.data?.name ?? 'Application', product);
  return (
    <QueryView query={application} loadingLabel="Loading the application…">
      {(app) => <ApplicationFrame app={app} />}
    </QueryView>
  );
}

function ApplicationFrame({ app }: { app: Application }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const { pathname } = useLocation();
  const base = `/applications/${encodeURIComponent(app.id)}`;
  const current = tabs.find((t) => t.path !== '' && pathname.startsWith(`${base}${t.path}`))?.value ?? 'keys';

  const remove = async () => {
    await api.delete(paths.application(app.id));
    client.removeQueries({ queryKey: applicationKey(app.id) });
    await client.invalidateQueries({ queryKey: applicationsKey });
    navigate('/applications');
  };

  return (
    <>
      <PageHeader
        before={
          <Breadcrumbs aria-label="Breadcrumb">
            <Anchor component={Link} to="/applications" size="sm">
              Applications
            </Anchor>
            <Text size="sm">{app.name}</Text>
          </Breadcrumbs>
        }
        title={
          <Group gap="sm" component="span">
            {app.name}
            <StateBadge state={app.state} />
          </Group>
        }
        description={app.description || undefined}
        actions={
          <>
            <EditApplication app={app} />
            <ConfirmButton
              title={`Delete ${app.name}?`}
              message="Its keys stop working within a second and its subscriptions end. This cannot be undone."
              confirmLabel="Delete application"
              onConfirm={remove}
            >
              Delete application
            </ConfirmButton>
          </>
        }
      />
      <ApplicationFields app={app} />
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
          <Outlet context={app} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
