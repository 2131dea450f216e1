// One account: approve or suspend it, change its e-mail and trust tier, see and create its
// applications, delete it.
import { Alert, Anchor, Button, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { DataTable } from '../../../ui/DataTable.tsx';
import { formatDate } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { Empty, ErrorAlert, FormError, QueryView } from '../../../ui/states.tsx';
import { type Account, type Application, api, useAdminList } from '../../api.ts';
import { product } from '../../session.tsx';
import { LoadMore } from '../lists.tsx';
import { AccountDecision, useAccountState } from './Accounts.tsx';
import { NewApplicationDialog } from './Applications.tsx';
import { Crumbs, Section } from './parts.tsx';
import { forget, paths, refreshAll, useAdminItem } from './resources.ts';

export function AccountPage() {
  const { accountId = '' } = useParams();
  const path = paths.account(accountId);
  const item = useAdminItem<Account>(path);
  const decide = useAccountState();
  const client = useQueryClient();
  const navigate = useNavigate();
  usePageTitle(item.data?.name ?? 'Account', product);
  return (
    <QueryView query={item} loadingLabel="Loading the account…">
      {(account) => (
        <>
          <PageHeader
            before={<Crumbs list="Accounts" to="/accounts" current={account.name} />}
            title={
              <Group gap="sm" component="span">
                {account.name}
                <StateBadge state={account.state} />
              </Group>
            }
            description={`Signed up ${formatDate(account.createdAt)}.`}
            actions={
              <>
                <AccountDecision account={account} decide={decide} />
                <ConfirmButton
                  title={`Delete ${account.name}?`}
                  message="Its applications, their keys and subscriptions go with it. This cannot be undone."
                  confirmLabel="Delete account"
                  onConfirm={async () => {
                    await api.delete(path);
                    await forget(client, path);
                    navigate('/accounts');
                  }}
                >
                  Delete account
                </ConfirmButton>
              </>
            }
          />
          <Stack gap="xl">
            {decide.isError && <ErrorAlert error={decide.error} title="The decision was not saved" />}
            <AccountDetails key={account.id} account={account} />
            <AccountApplications account={account} />
          </Stack>
        </>
      )}
    </QueryView>
  );
}

function AccountDetails({ account }: { account: Account }) {
  const client = useQueryClient();
  const [email, setEmail] = useState(account.email ?? '');
  const [tier, setTier] = useState(account.tier);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      api.patch<Account>(paths.account(account.id), {
        email: email.trim() === '' ? null : email.trim(),
        tier: tier.trim(),
      }),
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
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="E-mail"
              type="email"
              value={email}
              onChange={(e) => {
                setSaved(false);
                setEmail(e.currentTarget.value);
              }}
            />
            <TextInput
              label="Tier"
              description="The acl policy allows or refuses callers by tier."
              required
              value={tier}
              onChange={(e) => {
                setSaved(false);
                setTier(e.currentTarget.value);
              }}
            />
          </SimpleGrid>
          <FormError error={save.error} />
          {saved && (
            <Alert color="green" role="status" title="Saved">
              The gateway knows the new tier.
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              Save account
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function AccountApplications({ account }: { account: Account }) {
  const list = useAdminList<Application>('/applications', { accountId: account.id });
  const [creating, setCreating] = useState(false);
  const create = <Button onClick={() => setCreating(true)}>Create application</Button>;
  return (
    <Section title="Applications" actions={create}>
      <QueryView query={list} loadingLabel="Loading applications…">
        {(items) =>
          items.length === 0 ? (
            <Empty
              title="No applications yet"
              description="The account's developers create them on the portal."
            />
          ) : (
            <>
              <DataTable
                items={items}
                columns={[
                  {
                    header: 'Name',
                    cell: (a) => (
                      <Anchor component={Link} to={`/applications/${segment(a.id)}`}>
                        {a.name}
                      </Anchor>
                    ),
                  },
                  { header: 'State', cell: (a) => <StateBadge state={a.state} /> },
                  { header: 'Description', cell: (a) => a.description || '—' },
                  { header: 'Created', cell: (a) => formatDate(a.createdAt) },
                ]}
              />
              <LoadMore list={list} />
            </>
          )
        }
      </QueryView>
      <NewApplicationDialog opened={creating} onClose={() => setCreating(false)} account={account} />
    </Section>
  );
}
