// A secret shown once (a new API key): in a read-only field that selects itself, so it can be
// copied even where the clipboard API is unavailable (plain HTTP off localhost), with a copy
// button and a warning that it will not be shown again.
import { Alert, Button, CopyButton, Group, Stack, TextInput } from '@mantine/core';

export function SecretValue({ label, value, warning }: { label: string; value: string; warning: string }) {
  return (
    <Stack gap="sm">
      <Alert color="yellow" title="Copy it now" role="status">
        {warning}
      </Alert>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput
          label={label}
          value={value}
          readOnly
          onFocus={(event) => event.currentTarget.select()}
          style={{ flex: 1 }}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Button
              color={copied ? 'teal' : undefined}
              onClick={copy}
              variant={copied ? 'filled' : 'default'}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
