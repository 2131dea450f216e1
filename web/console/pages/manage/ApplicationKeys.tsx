// An application's API keys: create one (shown once), rotate with a grace period, revoke.
import { Button, Code, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { Dialog } from '../../../ui/Dialog.tsx';
import { formatDateTime } from '../../../ui/format.ts';
import { SecretValue } from '../../../ui/SecretValue.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
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
            <Table.ScrollContainer minWidth={760}>
              <Table highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Key</Table.Th>
                    <Table.Th scope="col">Label</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Created</Table.Th>
                    <Table.Th scope="col">Last used</Table.Th>
                    <Table.Th scope="col">Expires</Table.Th>
                    <Table.Th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((key) => (
                    <Table.Tr key={key.id}>
                      <Table.Th scope="row" fw={400}>
                        <Code>{key.prefix ? `${key.prefix}…` : key.id}</Code>
                      </Table.Th>
                      <Table.Td>{key.label || '—'}</Table.Td>
                      <Table.Td>
                        <StateBadge state={key.status} />
                      </Table.Td>
                      <Table.Td>{formatDateTime(key.createdAt)}</Table.Td>
                      <Table.Td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'never'}</Table.Td>
                      <Table.Td>{key.expiresAt ? formatDateTime(key.expiresAt) : 'never'}</Table.Td>
                      <Table.Td>
                        {key.status !== 'revoked' && (
                          <Group gap="xs" wrap="nowrap" justify="flex-end">
                            <Button
                              size="xs"
                              variant="default"
                              onClick={() => setRotating(key)}
                              aria-label={`Rotate ${keyName(key)}`}
                            >
                              Rotate
                            </Button>
                            <ConfirmButton
                              title={`Revoke ${keyName(key)}?`}
                              message="Calls with this key are refused within a second. Revoking cannot be undone."
                              confirmLabel="Revoke key"
                              ariaLabel={`Revoke ${keyName(key)}`}
                              onConfirm={async () => {
                                await api.post(`${paths.key(app.id, key.id)}/revoke`);
                                await refreshAll(client);
                              }}
                            >
                              Revoke
                            </ConfirmButton>
                          </Group>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
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
