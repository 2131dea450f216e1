// The reset link lands here (/reset-password?token=…): choose a new password.
import { Alert, Anchor, Button, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PasswordField } from '../../../ui/PasswordField.tsx';
import { FormError } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { AuthCard } from './AuthCard.tsx';
import { minimumPasswordLength } from './SignUp.tsx';

export function ResetPassword() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const reset = useMutation({ mutationFn: () => api.post('/password-reset/confirm', { token, password }) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password.length < minimumPasswordLength)
      setProblem(`Use at least ${minimumPasswordLength} characters.`);
    else if (password !== repeated) setProblem('The two passwords differ.');
    else {
      setProblem(undefined);
      reset.mutate();
    }
  };

  if (token === '') {
    return (
      <AuthCard title="Choose a new password">
        <Alert color="red" role="alert" title="This link is incomplete">
          Open the link from the e-mail exactly as it is, or{' '}
          <Anchor component={Link} to="/forgot-password">
            ask for a new one
          </Anchor>
          .
        </Alert>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password">
      {reset.isSuccess ? (
        <>
          <Alert color="green" title="Your password is changed" role="status">
            You were signed out everywhere. Sign in with the new password.
          </Alert>
          <Button component={Link} to="/signin">
            Sign in
          </Button>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <PasswordField
              label="New password"
              description={`At least ${minimumPasswordLength} characters.`}
              autoComplete="new-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={problem}
            />
            <PasswordField
              label="Repeat the new password"
              autoComplete="new-password"
              required
              value={repeated}
              onChange={(e) => setRepeated(e.currentTarget.value)}
            />
            <FormError error={reset.error} />
            {reset.isError && (
              <Anchor component={Link} to="/forgot-password" size="sm">
                Ask for a new link
              </Anchor>
            )}
            <Button type="submit" loading={reset.isPending}>
              Set new password
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
