// The link in the verification e-mail lands here (/verify-email?token=…); the page hands the
// token to the API once.
import { Alert, Anchor, Button, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../../ui/api.ts';
import { LoadingState } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { AuthCard } from './AuthCard.tsx';

export function VerifyEmail() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const verify = useMutation({ mutationFn: () => api.post('/verify-email', { token }) });
  const { mutate } = verify;
  // A token works once: never post it twice, even when React runs effects twice in development.
  const posted = useRef(false);
  useEffect(() => {
    if (token === '' || posted.current) return;
    posted.current = true;
    mutate();
  }, [token, mutate]);

  if (token === '') {
    return (
      <AuthCard title="Verify your e-mail">
        <Alert color="red" role="alert" title="This link is incomplete">
          Open the link from the e-mail exactly as it is, or copy the whole address into the browser.
        </Alert>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Verify your e-mail">
      {verify.isSuccess ? (
        <>
          <Alert color="green" title="Your e-mail is verified" role="status">
            You can sign in now.
          </Alert>
          <Button component={Link} to="/signin">
            Sign in
          </Button>
        </>
      ) : verify.isError ? (
        <>
          <Alert color="red" title="We could not verify your e-mail" role="alert">
            <Text size="sm">{errorMessage(verify.error)}</Text>
          </Alert>
          <Text size="sm">
            Links work once and for 24 hours. Already verified?{' '}
            <Anchor component={Link} to="/signin">
              Sign in
            </Anchor>
            .
          </Text>
        </>
      ) : (
        <LoadingState label="Verifying your e-mail…" />
      )}
    </AuthCard>
  );
}
