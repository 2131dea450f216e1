// One application: its details, its API keys and its subscriptions; suspend, resume or delete it.
import { Alert, Anchor, Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { ErrorAlert, FormError, QueryView } from '../../../ui/states.tsx';
import { type Application, api, useNames } from '../../api.ts';
import { product } from '../../session.tsx';
import { ApplicationKeys } from './ApplicationKeys.tsx';
import { ApplicationSubscriptions } from './ApplicationSubscriptions.tsx';
import { Crumbs, Section } from './parts.tsx';
import { forget, paths, refreshAll, useAdminItem } from './resources.ts';

export function ApplicationPage() {
  const { applicationId = '' } = useParams();
  const path = paths.application(applicationId);
  const item = useAdminItem<Application>(path);
  const accountName = useNames('/accounts');
  const client = useQueryClient();
  const navigate = useNavigate();
  const setState = useMutation({
    mutationFn: (state: string) => api.patch<Application>(path, { state }),
    onSuccess: () => refreshAll(client),
  });
  usePageTitle(item.data?.name ?? 'Application', product);
  return (
    <QueryView query={item} loadingLabel="Loading the application…">
      {(app) => (
        <>
          <PageHeader
            before={<Crumbs list="Applications" to="/applications" current={app.name} />}
            title={
              <Group gap="sm" component="span">
                {app.name}
                <StateBadge state={app.state} />
              </Group>
            }
            description={
              <>
                Of the account{' '}
                <Anchor component={Link} to={`/accounts/${segment(app.accountId)}`} underline="always">
                  {accountName(app.accountId)}
                </Anchor>
                . Its id is its OAuth client id: {app.id}.
              </>
            }
            actions={
              <>
                {app.state === 'suspended' ? (
                  <Button size="xs" onClick={() => setState.mutate('active')} loading={setState.isPending}>
                    Resume application
                  </Button>
                ) : (
                  <ConfirmButton
                    title={`Suspend ${app.name}?`}
                    message="Its keys and tokens are refused until you resume it."
                    confirmLabel="Suspend application"
                    onConfirm={() => setState.mutateAsync('suspended')}
                  >
                    Suspend application
                  </ConfirmButton>
                )}
                <ConfirmButton
                  title={`Delete ${app.name}?`}
                  message="Its keys stop working within a second and its subscriptions go with it. This cannot be undone."
                  confirmLabel="Delete application"
                  onConfirm={async () => {
                    await api.delete(path);
                    await forget(client, path);
                    navigate('/applications');
                  }}
                >
                  Delete application
                </ConfirmButton>
              </>
            }
          />
          <Stack gap="xl">
            {setState.isError && <ErrorAlert error={setState.error} title="The state was not changed" />}
            <ApplicationKeys app={app} />
            <ApplicationSubscriptions app={app} />
            <ApplicationDetails key={app.id} app={app} />
          </Stack>
        </>
      )}
    </QueryView>
  );
}

function ApplicationDetails({ app }: { app: Application }) {
  const client = useQueryClient();
  const [name, setName] = useState(app.name);
  const [description, setDescription] = useState(app.description);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => api.patch<Application>(paths.application(app.id), { name: name.trim(), description }),
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
    <Section title="Details">
      <form onSubmit={submit}>
        <Stack maw={640}>
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <FormError error={save.error} />
          {saved && (
            <Alert color="green" role="status" title="Saved">
              The application is changed.
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              Save application
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
