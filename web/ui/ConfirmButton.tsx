// A button for something that cannot be undone (revoke a key, cancel a subscription): it asks
// first, in a dialog that names what will happen, and shows the API's answer if it fails.
import { Button, type ButtonProps, Group, Stack, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { Dialog } from './Dialog.tsx';
import { FormError } from './states.tsx';

export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel,
  onConfirm,
  color = 'red',
  buttonProps,
  ariaLabel,
}: {
  children: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** Resolves when done; a rejection is shown in the dialog, which stays open. */
  onConfirm: () => Promise<unknown>;
  color?: string;
  buttonProps?: ButtonProps;
  /** When the visible label alone is ambiguous in a list: `Revoke key tp_live_TVp0`. */
  ariaLabel?: string;
}) {
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setOpened(false);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        variant="default"
        c={`${color}.9`}
        size="xs"
        {...buttonProps}
        aria-label={ariaLabel}
        onClick={() => {
          setError(null);
          setOpened(true);
        }}
      >
        {children}
      </Button>
      <Dialog opened={opened} onClose={() => !busy && setOpened(false)} title={title} centered>
        <Stack>
          <Text size="sm" component="div">
            {message}
          </Text>
          <FormError error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)} disabled={busy}>
              Keep it
            </Button>
            <Button color={color} onClick={() => void confirm()} loading={busy}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Dialog>
    </>
  );
}
