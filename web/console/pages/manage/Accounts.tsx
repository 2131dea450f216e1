// Accounts: developer organizations, with their state and trust tier; approve, suspend, create.
import { Anchor, Button, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { Dialog } from '../../../ui/Dialog.tsx';
import { formatDate } from '../../../ui/format.ts';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { ErrorAlert, FormError } from '../../../ui/states.tsx';
import { type Account, api, useAdminList } from '../../api.ts';
import { ListPage } from '../lists.tsx';
import { FormActions } from './parts.tsx';
import { paths, refreshAll } from './resources.ts';

/** Approve or suspend an account; the lists and the approvals count follow. */
export function useAccountState() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ account, state }: { account: Account; state: string }) =>
      api.patch<Account>(paths.account(account.id), { state }),
    onSuccess: () => refreshAll(client),
  });
}

/** Approve and suspend, named for the account, as the state allows. */
export function AccountDecision({
  account,
  decide,
}: {
  account: Account;
  decide: ReturnType<typeof useAccountState>;
}) {
  const busy = decide.isPending && decide.variables.account.id === account.id;
  return (
    <Group gap="xs" justify="flex-end" wrap="nowrap">
      {account.state !== 'approved' && (
        <Button
          size="xs"
          onClick={() => decide.mutate({ account, state: 'approved' })}
          loading={busy && decide.variables.state === 'approved'}
          disabled={decide.isPending && !busy}
          aria-label={`Approve account ${account.name}`}
        >
          {account.state === 'suspended' ? 'Reinstate' : 'Approve'}
        </Button>
      )}
      {account.state !== 'suspended' && (
        <ConfirmButton
          title={`Suspend ${account.name}?`}
          message="Its applications cannot call any API until the account is approved again."
          confirmLabel="Suspend account"
          onConfirm={() => decide.mutateAsync({ account, state: 'suspended' })}
          ariaLabel={`Suspend account ${account.name}`}
          buttonProps={{ disabled: decide.isPending }}
        >
          Suspend
        </ConfirmButton>
      )}
    </Group>
  );
}

const states = [
  { value: '', label: 'Every state' },
  { value: 'pending', label: 'Pending approval' },
  { value: 'approved', label: 'Approved' },
  { value: 'suspended', label: 'Suspended' },
];

export function Accounts() {
  const [state, setState] = useState('');
  const list = useAdminList<Account>('/accounts', state === '' ? {} : { state });
  const decide = useAccountState();
  const [creating, setCreating] = useState(false);
  const create = <Button onClick={() => setCreating(true)}>Create account</Button>;
  return (
    <>
      <ListPage
        title="Accounts"
        description="Developer organizations. Only the applications of approved accounts can call APIs."
        actions={create}
        filters={
          <Stack gap="sm" mb="md">
            <NativeSelect
              label="State"
              data={states}
              value={state}
              onChange={(e) => setState(e.currentTarget.value)}
              maw={240}
            />
            {decide.isError && <ErrorAlert error={decide.error} title="The decision was not saved" />}
          </Stack>
        }
        list={list}
        empty={{
          title: state === '' ? 'No accounts yet' : 'No accounts in this state',
          description: 'Developers create accounts by signing up on the portal; you can create one here too.',
          action: create,
        }}
        columns={[
          {
            header: 'Name',
            cell: (a) => (
              <Anchor component={Link} to={`/accounts/${segment(a.id)}`}>
                {a.name}
              </Anchor>
            ),
          },
          { header: 'E-mail', cell: (a) => a.email ?? '—' },
          { header: 'State', cell: (a) => <StateBadge state={a.state} /> },
          { header: 'Tier', cell: (a) => a.tier },
          { header: 'Created', cell: (a) => formatDate(a.createdAt) },
          { header: 'Decision', cell: (a) => <AccountDecision account={a} decide={decide} /> },
        ]}
      />
      <Dialog opened={creating} onClose={() => setCreating(false)} title="Create an account">
        {creating && <NewAccountForm onDone={() => setCreating(false)} />}
      </Dialog>
    </>
  );
}

function NewAccountForm({ onDone }: { onDone: () => void }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [state, setState] = useState('approved');
  const [tier, setTier] = useState('standard');
  const create = useMutation({
    mutationFn: () =>
      api.post<Account>('/accounts', {
        name: name.trim(),
        ...(email.trim() === '' ? {} : { email: email.trim() }),
        state,
        tier: tier.trim(),
      }),
    onSuccess: async (account) => {
      await refreshAll(client);
      navigate(`/accounts/${segment(account.id)}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label="Name"
          description="Letters, digits, “.”, “_” and “-”; unique among accounts."
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-autofocus
        />
        <TextInput
          label="E-mail"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <NativeSelect
          label="State"
          data={states.slice(1)}
          value={state}
          onChange={(e) => setState(e.currentTarget.value)}
        />
        <TextInput
          label="Tier"
          description="A trust tier for the acl policy, such as gold."
          required
          value={tier}
          onChange={(e) => setTier(e.currentTarget.value)}
        />
        <FormError error={create.error} />
        <FormActions submit="Create account" busy={create.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}
