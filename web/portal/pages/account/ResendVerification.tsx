// Ask for a new verification link (the previous one stops working). The answer is the same
// whether the address is known or not.
import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { FormError } from '../../../ui/states.tsx';
import { api } from '../../api.ts';

export function ResendVerification({ initialEmail }: { initialEmail: string | undefined }) {
  const [email, setEmail] = useState(initialEmail ?? '');
  const resend = useMutation({ mutationFn: () => api.post('/verify-email/resend', { email }) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    resend.mutate();
  };
  if (resend.isSuccess) {
    return (
      <Alert color="green" title="A new link is on its way" role="status">
        If {email} waits for verification, we sent it a new link; the earlier one no longer works.
      </Alert>
    );
  }
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <TextInput
          label="Send the link again to"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <FormError error={resend.error} />
        <Group justify="flex-end">
          <Button type="submit" variant="default" loading={resend.isPending}>
            Send a new link
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
