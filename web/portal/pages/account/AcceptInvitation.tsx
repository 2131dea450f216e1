// The link in an invitation e-mail lands here (/accept-invitation?token=…). Someone new chooses
// a name and a password and joins at once (the link proves the e-mail); a developer who already
// has a login signs in with the invited e-mail first, then joins.
import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiError, errorMessage } from '../../../ui/api.ts';
import { PasswordField } from '../../../ui/PasswordField.tsx';
import { ErrorAlert, FormError, LoadingState } from '../../../ui/states.tsx';
import { api, type InvitationPreview, paths, type Session } from '../../api.ts';
import { useAdoptSession, useSession, useSignOut } from '../../session.tsx';
import {
  FieldInputs,
  type FieldValues,
  fieldErrors,
  filledValues,
  useFields,
} from '../fields/customFields.tsx';
import { AuthCard } from './AuthCard.tsx';
import { minimumPasswordLength } from './SignUp.tsx';

interface Newcomer {
  name: string;
  password: string;
  /** The provider's questions about the person, as at sign-up. */
  developerFields: FieldValues;
}

type Join = ReturnType<typeof useJoin>;

function useJoin(token: string, onStart: () => void, onFailed: () => void) {
  const navigate = useNavigate();
  const adopt = useAdoptSession();
  return useMutation({
    mutationFn: (newcomer: Newcomer | undefined) =>
      api.post<Session>('/invitations/accept', { token, ...newcomer }),
    onMutate: onStart,
    onError: onFailed,
    onSuccess: async (answer) => {
      await adopt(answer);
      navigate('/applications', { replace: true });
    },
  });
}

export function AcceptInvitation() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  // While joining, the page keeps showing the invitation and stops asking about the link: once
  // used, it answers link-invalid.
  const [joining, setJoining] = useState<InvitationPreview | null>(null);
  const preview = useQuery({
    queryKey: ['invitation-link', token],
    queryFn: () => api.get<InvitationPreview>(paths.invitationLink(token)),
    enabled: token !== '' && joining === null,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const join = useJoin(
    token,
    () => setJoining(preview.data ?? null),
    () => setJoining(null),
  );
  const shown = joining ?? preview.data;

  if (token === '') {
    return (
      <AuthCard title="Join an account">
        <Alert color="red" role="alert" title="This link is incomplete">
          Open the link from the invitation e-mail exactly as it is, or copy the whole address into the
          browser.
        </Alert>
      </AuthCard>
    );
  }
  if (shown) return <InvitationCard preview={shown} join={join} />;
  if (preview.isError) {
    const invalid = preview.error instanceof ApiError && preview.error.status === 400;
    return (
      <AuthCard title="Join an account">
        {invalid ? (
          <Alert color="red" role="alert" title="This invitation link does not work">
            <Stack gap="xs">
              <Text size="sm">{errorMessage(preview.error)}</Text>
              <Text size="sm">
                An invitation works once and for 7 days, and not after it is withdrawn. Ask whoever invited
                you for a new one.
              </Text>
            </Stack>
          </Alert>
        ) : (
          <ErrorAlert error={preview.error} onRetry={() => void preview.refetch()} />
        )}
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Join an account">
      <LoadingState label="Reading the invitation…" />
    </AuthCard>
  );
}

function InvitationCard({ preview, join }: { preview: InvitationPreview; join: Join }) {
  return (
    <AuthCard
      title={`Join ${preview.account.name} as ${preview.role}`}
      description={
        <>
          The invitation is for <strong>{preview.email}</strong>.
        </>
      }
    >
      {preview.registered ? (
        <SignedInJoin preview={preview} join={join} />
      ) : (
        <NewcomerJoin join={join} preview={preview} />
      )}
    </AuthCard>
  );
}

/** Someone without a login: their name and a password make one, and they join. */
function NewcomerJoin({ preview, join }: { preview: InvitationPreview; join: Join }) {
  const session = useSession();
  const location = useLocation();
  const signOut = useSignOut(`${location.pathname}${location.search}`);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const developerFields = useFields('developer');
  const [developerValues, setDeveloperValues] = useState<FieldValues>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const short = password.length < minimumPasswordLength;
    setTooShort(short);
    if (!short) join.mutate({ name: name.trim(), password, developerFields: filledValues(developerValues) });
  };
  // The new login is made and signed in by the link; another developer's session is in the way.
  if (session.data && !join.isPending && !join.isSuccess) {
    return (
      <Stack>
        <Alert color="yellow" role="status" title="Signed in as someone else">
          You are signed in as {session.data.developer.email}. The invitation is for {preview.email}, who has
          no login yet: sign out, and this page asks for a name and a password for it.
        </Alert>
        <Button onClick={() => signOut.mutate()} loading={signOut.isPending}>
          Sign out to accept
        </Button>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {/* For password managers: the login the password belongs to. */}
        <TextInput label="E-mail" type="email" value={preview.email} readOnly autoComplete="username" />
        <TextInput
          label="Your name"
          autoComplete="name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <FieldInputs
          fields={developerFields}
          values={developerValues}
          onChange={setDeveloperValues}
          errors={fieldErrors(join.error, 'developerFields')}
        />
        <PasswordField
          label="Password"
          description={`At least ${minimumPasswordLength} characters.`}
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={tooShort ? `Use at least ${minimumPasswordLength} characters.` : undefined}
        />
        <FormError error={join.error} />
        <Button type="submit" loading={join.isPending || join.isSuccess}>
          Join account
        </Button>
      </Stack>
    </form>
  );
}

/** A developer with a login: signed in with the invited e-mail, they join with one click. */
function SignedInJoin({ preview, join }: { preview: InvitationPreview; join: Join }) {
  const session = useSession();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const signInHere = `/signin?next=${encodeURIComponent(here)}`;
  const signOut = useSignOut(signInHere);

  if (session.isPending) return <LoadingState />;
  const signedIn = session.data?.developer.email;
  if (!signedIn) {
    return (
      <Stack>
        <Text size="sm">
          You already have a developer login. Sign in as {preview.email} to accept; you come back here
          afterwards.
        </Text>
        <Button component={Link} to={signInHere}>
          Sign in to accept
        </Button>
        <Anchor component={Link} to="/forgot-password" size="sm">
          Forgot your password?
        </Anchor>
      </Stack>
    );
  }
  if (signedIn.trim().toLowerCase() !== preview.email.trim().toLowerCase()) {
    return (
      <Stack>
        <Alert color="yellow" role="status" title="Signed in as someone else">
          You are signed in as {signedIn}, but the invitation is for {preview.email}. Sign out, then sign in
          as {preview.email}.
        </Alert>
        <Button onClick={() => signOut.mutate()} loading={signOut.isPending}>
          Sign out and sign in as {preview.email}
        </Button>
      </Stack>
    );
  }
  return (
    <Stack>
      <Text size="sm">
        You are signed in as {signedIn}. The account joins your others; the portal then acts for it.
      </Text>
      <FormError error={join.error} />
      <Button onClick={() => join.mutate(undefined)} loading={join.isPending || join.isSuccess}>
        Join account
      </Button>
    </Stack>
  );
}
