// An application's API keys: create one (shown once), rotate with a grace period, revoke.
import { Button, Code, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../../ui/Dialog.tsx';
import { KeyTable as KeyTableView } from '../../../ui/KeyTable.tsx';
import { SecretValue } from '../../../ui/SecretValue.tsx';
import { Empty, FormError, QueryView } from '../../../ui/states.tsx';
import { api, type Key, type List, paths } from '../../api.ts';
import { useApplication } from './ApplicationPage.tsx';

const keysKey = (app: string) => ['applications', app, 'keys'] as const;

const keyWarning =
  'This is the only time the key is shown: Turnpike keeps only a hash of it. Store it somewhere safe, such as your secret manager.';

export function Keys() {
  const app = useApplication();
  const keys = useQuery({ queryKey: keysKey(app.id), queryFn: () => api.get<List<Key>>(paths.keys(app.id)) });
  const [creating, setCreating] = useState(false);
  const create = (
    <Button onClick={() => setCreating(true)} disabled={app.state !== 'active'}>
      Create key
    </Button>
  );
  return (
    <section aria-labelledby="keys-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="xl" id="keys-title">
          API keys
        </Title>
        {create}
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        Send a key in the <Code>X-API-Key</Code> header. Rotate a key to replace it without a failed call;
        revoke it if it leaked.
      </Text>
      <QueryView query={keys} loadingLabel="Loading keys…">
        {({ data }) =>
          data.length === 0 ? (
            <Empty
              title="No keys yet — create one"
              description="Your code needs a key to call the APIs."
              action={create}
            />
          ) : (
            <KeyTable app={app.id} keys={data} />
          )
        }
      </QueryView>
      <CreateKeyModal app={app.id} opened={creating} onClose={() => setCreating(false)} />
    </section>
  );
}

function KeyTable({ app, keys }: { app: string; keys: Key[] }) {
  const client = useQueryClient();
  const [rotating, setRotating] = useState<Key | null>(null);
  const revoke = async (key: Key) => {
    await api.post(`${paths.key(app, key.id)}/revoke`);
    await client.invalidateQueries({ queryKey: keysKey(app) });
  };
  return (
    <>
      <KeyTableView keys={keys} name={keyName} onRotate={setRotating} onRevoke={revoke} />
      <RotateKeyModal app={app} current={rotating} onClose={() => setRotating(null)} />
    </>
  );
}

const keyName = (key: Key) => `key ${key.prefix ?? key.id}${key.label ? ` (${key.label})` : ''}`;

function CreateKeyModal({ app, opened, onClose }: { app: string; opened: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const [label, setLabel] = useState('');
  const create = useMutation({
    mutationFn: () => api.post<Key>(paths.keys(app), label.trim() === '' ? {} : { label: label.trim() }),
    onSuccess: () => client.invalidateQueries({ queryKey: keysKey(app) }),
  });
  const close = () => {
    create.reset();
    setLabel('');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Dialog
      opened={opened}
      onClose={close}
      title={create.data ? 'Your new API key' : 'Create an API key'}
      size="lg"
    >
      {create.data?.key ? (
        <Stack>
          <SecretValue label="API key" value={create.data.key} warning={keyWarning} />
          <Group justify="flex-end">
            <Button onClick={close}>I have stored the key</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label="Label"
              description="Optional: where the key is used, such as “production server”."
              value={label}
              onChange={(e) => setLabel(e.currentTarget.value)}
              data-autofocus
            />
            <FormError error={create.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Dialog>
  );
}

const graceChoices = [
  { value: '0', label: 'Stop it now (it leaked)' },
  { value: '3600', label: 'For 1 hour' },
  { value: '86400', label: 'For 1 day' },
  { value: '604800', label: 'For 7 days' },
  { value: '2592000', label: 'For 30 days' },
];

function RotateKeyModal({
  app,
  current,
  onClose,
}: {
  app: string;
  current: Key | null;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [grace, setGrace] = useState('86400');
  const rotate = useMutation({
    mutationFn: (key: Key) =>
      api.post<Key>(`${paths.key(app, key.id)}/rotate`, { graceSeconds: Number(grace) }),
    onSuccess: () => client.invalidateQueries({ queryKey: keysKey(app) }),
  });
  const close = () => {
    rotate.reset();
    setGrace('86400');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (current) rotate.mutate(current);
  };
  return (
    <Dialog
      opened={current !== null}
      onClose={close}
      title={rotate.data ? 'Your new API key' : `Rotate ${current ? keyName(current) : 'key'}`}
      size="lg"
    >
      {rotate.data?.key ? (
        <Stack>
          <SecretValue label="New API key" value={rotate.data.key} warning={keyWarning} />
          <Text size="sm">
            {grace === '0'
              ? 'The old key no longer works.'
              : 'The old key keeps working for the time you chose; switch your code to the new one before then.'}
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>I have stored the key</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <Text size="sm">
              A new key replaces this one. The old key keeps working for a while, so you can switch.
            </Text>
            <NativeSelect
              label="Keep the old key working"
              data={graceChoices}
              value={grace}
              onChange={(event) => setGrace(event.currentTarget.value)}
            />
            <FormError error={rotate.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={rotate.isPending}>
                Rotate key
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Dialog>
  );
}
