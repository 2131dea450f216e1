// An application as an OAuth client, for APIs protected by OAuth: its client id, where the
// authorization server is, its redirect URIs, and client secrets (shown once, rotated, revoked).
import { Button, Code, Group, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { Dialog } from '../../../ui/Dialog.tsx';
import { formatDateTime } from '../../../ui/format.ts';
import { SecretValue } from '../../../ui/SecretValue.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { Empty, FormError, QueryView } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { useApplication } from './ApplicationPage.tsx';

interface ClientSecret {
  id: string;
  label: string;
  status: 'active' | 'expired' | 'revoked';
  expiresAt: string | null;
  createdAt: string;
}
interface OAuthClient {
  clientId: string;
  redirectUris: string[];
  secrets: ClientSecret[];
  issuer: string;
  discovery: string;
}

const base = (app: string) => `/applications/${encodeURIComponent(app)}`;
const oauthKey = (app: string) => ['applications', app, 'oauth'] as const;
const secretWarning =
  'This is the only time the secret is shown: Turnpike keeps only a hash of it. Store it in your secret manager.';

export function OAuth() {
  const app = useApplication();
  const client = useQuery({
    queryKey: oauthKey(app.id),
    queryFn: () => api.get<OAuthClient>(`${base(app.id)}/oauth`),
  });
  return (
    <section aria-labelledby="oauth-title">
      <Title order={2} fz="xl" id="oauth-title" mb="xs">
        OAuth client
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        For APIs protected by OAuth 2.0: your backend gets access tokens with the client id and a client
        secret (client credentials), or signs users in with the code flow and these redirect URIs.
      </Text>
      <QueryView query={client} loadingLabel="Loading the OAuth client…">
        {(oauth) => (
          <Stack gap="xl">
            <Table withTableBorder>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row">Client id</Table.Th>
                  <Table.Td>
                    <Code>{oauth.clientId}</Code>
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Issuer</Table.Th>
                  <Table.Td>
                    <Code>{oauth.issuer}</Code>
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Discovery</Table.Th>
                  <Table.Td>
                    <Code>{oauth.discovery}</Code>
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            <Secrets app={app.id} secrets={oauth.secrets} />
            <RedirectUris app={app.id} current={oauth.redirectUris} />
          </Stack>
        )}
      </QueryView>
    </section>
  );
}

function Secrets({ app, secrets }: { app: string; secrets: ClientSecret[] }) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: oauthKey(app) });
  const [label, setLabel] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api.post<{ secret: string }>(
        `${base(app)}/client-secrets`,
        label.trim() ? { label: label.trim() } : {},
      ),
    onSuccess: async (made) => {
      setShown(made.secret);
      setLabel('');
      await refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: (id: string) =>
      api.post<{ secret: string }>(`${base(app)}/client-secrets/${encodeURIComponent(id)}/rotate`, {}),
    onSuccess: async (made) => {
      setShown(made.secret);
      await refresh();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const live = secrets.filter((s) => s.status !== 'revoked');
  return (
    <section aria-labelledby="secrets-title">
      <Title order={3} fz="lg" id="secrets-title" mb="sm">
        Client secrets
      </Title>
      {live.length === 0 ? (
        <Empty
          title="No client secrets yet"
          description="Create one for a backend that calls OAuth-protected APIs."
        />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Label</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Created</Table.Th>
                <Table.Th scope="col">Expires</Table.Th>
                <Table.Th scope="col">
                  <span className="visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {live.map((secret) => {
                const name = `client secret ${secret.label || secret.id}`;
                return (
                  <Table.Tr key={secret.id}>
                    <Table.Th scope="row" fw={400}>
                      {secret.label || <Code>{secret.id}</Code>}
                    </Table.Th>
                    <Table.Td>
                      <StateBadge state={secret.status} />
                    </Table.Td>
                    <Table.Td>{formatDateTime(secret.createdAt)}</Table.Td>
                    <Table.Td>{secret.expiresAt ? formatDateTime(secret.expiresAt) : 'never'}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap" justify="flex-end">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => rotate.mutate(secret.id)}
                          loading={rotate.isPending && rotate.variables === secret.id}
                          aria-label={`Rotate ${name}`}
                        >
                          Rotate
                        </Button>
                        <ConfirmButton
                          title={`Revoke ${name}?`}
                          message="Token requests with this secret are refused at once. Revoking cannot be undone."
                          confirmLabel="Revoke secret"
                          onConfirm={async () => {
                            await api.post(
                              `${base(app)}/client-secrets/${encodeURIComponent(secret.id)}/revoke`,
                            );
                            await refresh();
                          }}
                          ariaLabel={`Revoke ${name}`}
                        >
                          Revoke
                        </ConfirmButton>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <form onSubmit={submit}>
        <Group align="flex-end" mt="md">
          <TextInput
            label="Secret label"
            description="Optional: where the secret is used."
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
          />
          <Button type="submit" loading={create.isPending}>
            Create client secret
          </Button>
        </Group>
        <FormError error={create.error ?? rotate.error} />
      </form>
      <Dialog opened={shown !== null} onClose={() => setShown(null)} title="Your new client secret" size="lg">
        <Stack>
          <SecretValue label="Client secret" value={shown ?? ''} warning={secretWarning} />
          <Group justify="flex-end">
            <Button onClick={() => setShown(null)}>I have stored the secret</Button>
          </Group>
        </Stack>
      </Dialog>
    </section>
  );
}

function RedirectUris({ app, current }: { app: string; current: string[] }) {
  const client = useQueryClient();
  const [text, setText] = useState(current.join('\n'));
  useEffect(() => setText(current.join('\n')), [current]);
  const save = useMutation({
    mutationFn: () =>
      api.put(`${base(app)}/redirect-uris`, {
        redirectUris: text
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: oauthKey(app) }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <section aria-labelledby="redirects-title">
      <Title order={3} fz="lg" id="redirects-title" mb="sm">
        Redirect URIs
      </Title>
      <form onSubmit={submit}>
        <Stack>
          <Textarea
            label="Redirect URIs"
            description="One per line: https, or http on 127.0.0.1 or localhost. Compared exactly."
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <FormError error={save.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              Save redirect URIs
            </Button>
          </Group>
          {save.isSuccess && (
            <Text size="sm" role="status">
              Saved.
            </Text>
          )}
        </Stack>
      </form>
    </section>
  );
}
