// Sign in with e-mail and password; back to the page that asked for it.
import { Anchor, Button, Group, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../../ui/api.ts';
import { PasswordField } from '../../../ui/PasswordField.tsx';
import { FormError } from '../../../ui/states.tsx';
import { api, type Session } from '../../api.ts';
import { nextPath, sessionKey, useSession } from '../../session.tsx';
import { AuthCard } from './AuthCard.tsx';

export function SignIn() {
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => api.post<Session>('/session', { email, password }),
    onSuccess: (answer) => {
      api.setCsrfToken(answer.csrfToken);
      client.setQueryData(sessionKey, answer);
      navigate(nextPath(location.search), { replace: true });
    },
  });

  if (session.data && !signIn.isPending && !signIn.isSuccess) {
    return <Navigate to={nextPath(location.search)} replace />;
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  const notVerified = signIn.error instanceof ApiError && signIn.error.code === 'email-not-verified';

  return (
    <AuthCard
      title="Sign in"
      description="To your developer account."
      footer={
        <>
          New here?{' '}
          <Anchor component={Link} to="/signup">
            Create an account
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label="E-mail"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordField
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <FormError error={signIn.error} />
          {notVerified && (
            <Anchor component={Link} to="/signup/check-email" state={{ email }} size="sm">
              Send me a new verification link
            </Anchor>
          )}
          <Group justify="space-between">
            <Anchor component={Link} to="/forgot-password" size="sm">
              Forgot your password?
            </Anchor>
            <Button type="submit" loading={signIn.isPending}>
              Sign in
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthCard>
  );
}
