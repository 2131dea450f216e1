// A table of API keys with rotate and revoke buttons: the portal's and the console's key lists.
import { Button, Code, Group, Table } from '@mantine/core';
import { ConfirmButton } from './ConfirmButton.tsx';
import { formatDateTime } from './format.ts';
import { StateBadge } from './StateBadge.tsx';

export interface KeyRow {
  id: string;
  prefix: string | null;
  label: string;
  status: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export function KeyTable<K extends KeyRow>({
  keys,
  name,
  onRotate,
  onRevoke,
  highlightOnHover,
}: {
  keys: K[];
  /** How buttons and dialogs name a key: `key tp_live_TVp0`. */
  name: (key: K) => string;
  onRotate: (key: K) => void;
  /** Resolves when revoked; a rejection shows in the confirmation dialog. */
  onRevoke: (key: K) => Promise<unknown>;
  highlightOnHover?: boolean;
}) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table highlightOnHover={highlightOnHover}>
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
          {keys.map((key) => (
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
                      onClick={() => onRotate(key)}
                      aria-label={`Rotate ${name(key)}`}
                    >
                      Rotate
                    </Button>
                    <ConfirmButton
                      title={`Revoke ${name(key)}?`}
                      message="Calls with this key are refused within a second. Revoking cannot be undone."
                      confirmLabel="Revoke key"
                      ariaLabel={`Revoke ${name(key)}`}
                      onConfirm={() => onRevoke(key)}
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
  );
}
