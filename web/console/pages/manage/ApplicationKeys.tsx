// An application's API keys: create one (shown once), rotate with a grace period, revoke.
import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../../ui/Dialog.tsx';
import { KeyTable } from '../../../ui/KeyTable.tsx';
import { SecretValue } from '../../../ui/SecretValue.tsx';
import { Empty, FormError, QueryView } from '../../../ui/states.tsx';
import { type Application, api, useAdminList } from '../../api.ts';
import { FormActions, Section } from './parts.tsx';
import { type Key, paths, refreshAll } from './resources.ts';

const keyWarning =
  'This is the only time the key is shown: Turnpike keeps only a hash of it. Hand it to the developer over a safe channel.';

/** `key tp_live_TVp0`: how buttons and dialogs name a key. */
const keyName = (key: Key) => `key ${key.prefix ?? key.id}`;

export function ApplicationKeys({ app }: { app: Application }) {
  const keys = useAdminList<Key>(paths.keys(app.id));
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<Key | null>(null);
  const create = <Button onClick={() => setCreating(true)}>Create key</Button>;
  return (
    <Section
      title="API keys"
      description="Sent in the X-API-Key header unless a key-auth policy says otherwise."
      actions={create}
    >
      <QueryView query={keys} loadingLabel="Loading keys…">
        {(items) =>
          items.length === 0 ? (
            <Empty
              title="No keys yet"
              description="The application needs a key to call APIs that are not keyless."
              action={create}
            />
          ) : (
            <KeyTable
              keys={items}
              name={keyName}
              highlightOnHover
              onRotate={setRotating}
              onRevoke={async (key) => {
                await api.post(`${paths.key(app.id, key.id)}/revoke`);
                await refreshAll(client);
              }}
            />
          )
        }
      </QueryView>
      <KeyDialog app={app} opened={creating} onClose={() => setCreating(false)} />
      <KeyDialog
        app={app}
        rotate={rotating ?? undefined}
        opened={rotating !== null}
        onClose={() => setRotating(null)}
      />
    </Section>
  );
}

const graceChoices = [
  { value: '0', label: 'Stop it now (it leaked)' },
  { value: '3600', label: 'For 1 hour' },
  { value: '86400', label: 'For 1 day' },
  { value: '604800', label: 'For 7 days' },
  { value: '2592000', label: 'For 30 days' },
];

/** Create a key, or rotate `rotate`; then show the new key once. */
function KeyDialog({
  app,
  rotate,
  opened,
  onClose,
}: {
  app: Application;
  rotate?: Key;
  opened: boolean;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [label, setLabel] = useState('');
  const [grace, setGrace] = useState('86400');
  const issue = useMutation({
    mutationFn: () =>
      rotate
        ? api.post<Key>(`${paths.key(app.id, rotate.id)}/rotate`, { gracePeriodSeconds: Number(grace) })
        : api.post<Key>(paths.keys(app.id), label.trim() === '' ? {} : { label: label.trim() }),
    onSuccess: () => refreshAll(client),
  });
  const close = () => {
    issue.reset();
    setLabel('');
    setGrace('86400');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    issue.mutate();
  };
  const title = issue.data
    ? 'The new API key'
    : rotate
      ? `Rotate ${keyName(rotate)}`
      : `Create a key for ${app.name}`;
  return (
    <Dialog opened={opened} onClose={close} title={title} size="lg">
      {issue.data?.key ? (
        <Stack>
          <SecretValue label="API key" value={issue.data.key} warning={keyWarning} />
          {rotate && (
            <Text size="sm">
              {grace === '0'
                ? 'The old key no longer works.'
                : 'The old key keeps working for the time you chose.'}
            </Text>
          )}
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            {rotate ? (
              <NativeSelect
                label="Keep the old key working"
                data={graceChoices}
                value={grace}
                onChange={(event) => setGrace(event.currentTarget.value)}
              />
            ) : (
              <TextInput
                label="Label"
                description="Optional: where the key is used."
                value={label}
                onChange={(e) => setLabel(e.currentTarget.value)}
                data-autofocus
              />
            )}
            <FormError error={issue.error} />
            <FormActions
              submit={rotate ? 'Rotate key' : 'Create key'}
              busy={issue.isPending}
              onCancel={close}
            />
          </Stack>
        </form>
      )}
    </Dialog>
  );
}
