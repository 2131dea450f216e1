// Try an API from its page: the portal sends the request through the gateway with the
// developer's own key (POST /portal/v1/try-it) and shows the answer.
import {
  Badge,
  Button,
  Code,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { FormError } from '../../../ui/states.tsx';
import { api } from '../../api.ts';

interface TryItAnswer {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  durationMs: number;
}

/** What the form holds; the API page keeps it, so that the code samples show the same call. */
export interface TryItRequest {
  method: string;
  path: string;
  key: string;
  body: string;
}

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const withBody = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether the form offers a body for the method. */
export const sendsBody = (method: string) => withBody.has(method);

/** JSON indented for reading; anything else as it came. */
function readable(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function TryIt({
  apiId,
  request,
  onChange,
}: {
  apiId: string;
  request: TryItRequest;
  onChange: (request: TryItRequest) => void;
}) {
  const { method, path, key, body } = request;
  const set = (change: Partial<TryItRequest>) => onChange({ ...request, ...change });
  const send = useMutation({
    mutationFn: () => {
      const headers: Record<string, string> = {};
      if (key.trim() !== '') headers['X-API-Key'] = key.trim();
      const sendsBody = withBody.has(method) && body !== '';
      if (sendsBody) headers['Content-Type'] = 'application/json';
      return api.post<TryItAnswer>('/try-it', {
        api: apiId,
        method,
        path: path.startsWith('/') ? path : `/${path}`,
        headers,
        ...(sendsBody ? { body } : {}),
      });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  const answer = send.data;

  return (
    <section aria-labelledby="try-it">
      {/* Focused when an operation is picked in the table above. */}
      <Title order={2} id="try-it" fz="xl" mb="xs" tabIndex={-1}>
        Try it
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Sends a real call through the gateway. It counts against your plan like any other.
      </Text>
      <Paper withBorder p="md">
        <form onSubmit={submit}>
          <Stack>
            <Group align="flex-end" gap="sm" wrap="wrap">
              <NativeSelect
                label="Method"
                data={methods}
                value={method}
                onChange={(event) => set({ method: event.currentTarget.value })}
                w={120}
              />
              <TextInput
                label="Path"
                description="Below the API's base path; a query string may follow."
                value={path}
                onChange={(event) => set({ path: event.currentTarget.value })}
                style={{ flex: 1, minWidth: 200 }}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
            </Group>
            <TextInput
              label="API key"
              description="One of your application's keys, sent as X-API-Key. The portal does not keep it."
              value={key}
              onChange={(event) => set({ key: event.currentTarget.value })}
              autoComplete="off"
              spellCheck={false}
            />
            {withBody.has(method) && (
              <Textarea
                label="Body"
                description="Sent as JSON."
                value={body}
                onChange={(event) => set({ body: event.currentTarget.value })}
                autosize
                minRows={3}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
            )}
            <FormError error={send.error} />
            <Group justify="flex-end">
              <Button type="submit" loading={send.isPending}>
                Send request
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {answer && (
        <Stack gap="xs" mt="md" aria-live="polite">
          <Group gap="sm">
            <Badge
              color={answer.status < 400 ? 'green' : 'red'}
              variant="dot"
              radius="sm"
              tt="none"
              size="lg"
            >
              {answer.status}
            </Badge>
            <Text size="sm">
              in {answer.durationMs} ms from <Code>{answer.url}</Code>
            </Text>
          </Group>
          <details>
            <summary>
              <Text span size="sm">
                Response headers
              </Text>
            </summary>
            <Table mt="xs" withTableBorder>
              <Table.Tbody>
                {Object.entries(answer.headers).map(([name, value]) => (
                  <Table.Tr key={name}>
                    <Table.Th scope="row" fw={500}>
                      <Code>{name}</Code>
                    </Table.Th>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </details>
          <Text size="sm" fw={500}>
            Response body
          </Text>
          <Code block>{answer.body === '' ? '(empty body)' : readable(answer.body)}</Code>
          {answer.truncated && (
            <Text size="sm" c="dimmed">
              The body was cut at 1 MiB.
            </Text>
          )}
        </Stack>
      )}
    </section>
  );
}
