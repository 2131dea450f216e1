// Sign in to the console with an admin user's e-mail and password.
import { Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { usePageTitle } from '../../ui/layout.tsx';
import { PasswordField } from '../../ui/PasswordField.tsx';
import { FormError } from '../../ui/states.tsx';
import { type AdminSession, api } from '../api.ts';
import { nextPath, product, sessionKey, useAdminSession } from '../session.tsx';

export function SignIn() {
  usePageTitle('Sign in', product);
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const session = useAdminSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => api.post<AdminSession>('/session', { email, password }),
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
  return (
    <Paper withBorder shadow="xs" p="xl" radius="md">
      <form onSubmit={submit}>
        <Stack>
          <Stack gap={4}>
            <Title order={1} fz={26}>
              Sign in to the console
            </Title>
            <Text size="sm" c="dimmed">
              With your admin user. Admin users are made with <code>POST /admin/v1/admin-users</code>.
            </Text>
          </Stack>
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
          <Button type="submit" loading={signIn.isPending}>
            Sign in
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
