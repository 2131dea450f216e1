// Ask for a password reset link. The answer is the same whether the address is known or not.
import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { FormError } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { AuthCard } from './AuthCard.tsx';

export function ForgotPassword() {
  const [email, setEmail] = useState('');
  const request = useMutation({ mutationFn: () => api.post('/password-reset', { email }) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  return (
    <AuthCard
      title="Reset your password"
      description="We will e-mail you a link to choose a new one."
      footer={
        <Anchor component={Link} to="/signin">
          Back to sign in
        </Anchor>
      }
    >
      {request.isSuccess ? (
        <Alert color="green" title="Check your e-mail" role="status">
          If an account uses {email}, a link to reset its password is on its way. It works for one hour.
        </Alert>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label="E-mail"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <FormError error={request.error} />
            <Button type="submit" loading={request.isPending}>
              Send reset link
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
