// Applications: what developers registered to call the APIs, with their accounts; and the
// dialog that creates one for an account.
import { Anchor, Button, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { Dialog } from '../../../ui/Dialog.tsx';
import { formatDate } from '../../../ui/format.ts';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { FormError } from '../../../ui/states.tsx';
import { type Account, type Application, api, useAdminList, useNames } from '../../api.ts';
import { ListPage } from '../lists.tsx';
import { FormActions } from './parts.tsx';
import { refreshAll } from './resources.ts';

export function Applications() {
  const list = useAdminList<Application>('/applications');
  const accountName = useNames('/accounts');
  const [creating, setCreating] = useState(false);
  const create = <Button onClick={() => setCreating(true)}>Create application</Button>;
  return (
    <>
      <ListPage
        title="Applications"
        description="What developers registered to call the APIs. Keys and subscriptions are on each one's page."
        actions={create}
        list={list}
        empty={{
          title: 'No applications yet',
          description: 'Developers create them on the portal; you can create one for an account here.',
          action: create,
        }}
        columns={[
          {
            header: 'Name',
            cell: (a) => (
              <Anchor component={Link} to={`/applications/${segment(a.id)}`}>
                {a.name}
              </Anchor>
            ),
          },
          {
            header: 'Account',
            cell: (a) => (
              <Anchor component={Link} to={`/accounts/${segment(a.accountId)}`}>
                {accountName(a.accountId)}
              </Anchor>
            ),
          },
          { header: 'State', cell: (a) => <StateBadge state={a.state} /> },
          { header: 'Description', cell: (a) => a.description || '—' },
          { header: 'Created', cell: (a) => formatDate(a.createdAt) },
        ]}
      />
      <NewApplicationDialog opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}

/** Create an application, for the given account or one chosen here. */
export function NewApplicationDialog({
  opened,
  onClose,
  account,
}: {
  opened: boolean;
  onClose: () => void;
  account?: Account;
}) {
  return (
    <Dialog
      opened={opened}
      onClose={onClose}
      title={account ? `Create an application for ${account.name}` : 'Create an application'}
    >
      {opened && <NewApplicationForm account={account} onDone={onClose} />}
    </Dialog>
  );
}

function NewApplicationForm({ account, onDone }: { account: Account | undefined; onDone: () => void }) {
  const accounts = useAdminList<Account>('/accounts');
  const client = useQueryClient();
  const navigate = useNavigate();
  const [accountId, setAccountId] = useState(account?.id ?? '');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => api.post<Application>('/applications', { accountId, name: name.trim(), description }),
    onSuccess: async (application) => {
      await refreshAll(client);
      navigate(`/applications/${segment(application.id)}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        {!account && (
          <NativeSelect
            label="Account"
            required
            data={[
              { value: '', label: 'Choose an account', disabled: true },
              ...(accounts.data ?? []).map((a) => ({ value: a.id, label: a.name })),
            ]}
            value={accountId}
            onChange={(e) => setAccountId(e.currentTarget.value)}
          />
        )}
        <TextInput
          label="Name"
          description="Unique within the account."
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-autofocus
        />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <FormError error={create.error} />
        <FormActions submit="Create application" busy={create.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}
