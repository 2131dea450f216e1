// After sign-up: the verification link is on its way.
import { Anchor, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { AuthCard } from './AuthCard.tsx';
import { ResendVerification } from './ResendVerification.tsx';

export function CheckEmail() {
  const state: unknown = useLocation().state;
  const email =
    typeof state === 'object' && state !== null && 'email' in state && typeof state.email === 'string'
      ? state.email
      : undefined;
  return (
    <AuthCard
      title="Check your e-mail"
      footer={
        <Anchor component={Link} to="/signin">
          Go to sign in
        </Anchor>
      }
    >
      <Text>
        We sent a link to {email ? <strong>{email}</strong> : 'your address'}. Open it to confirm your e-mail
        address; then you can sign in.
      </Text>
      <Text size="sm" c="dimmed">
        The link works for 24 hours. Nothing arrived? Look in your spam folder, or ask for a new link.
      </Text>
      <ResendVerification initialEmail={email} />
    </AuthCard>
  );
}
