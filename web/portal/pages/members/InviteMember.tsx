// Invite someone to the account by e-mail (owners and admins): the mail carries a link that
// works for 7 days, and the invitation waits in the list below until then.
import { Alert, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { FormError } from '../../../ui/states.tsx';
import { api, type Invitation, type Role } from '../../api.ts';
import { assignableRoles, invitationsKey, withArticle } from './members.ts';

export function InviteMember({ viewer }: { viewer: Role }) {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const invite = useMutation({
    mutationFn: () => api.post<Invitation>('/account/invitations', { email: email.trim(), role }),
    onSuccess: async () => {
      setEmail('');
      setRole('member');
      await client.invalidateQueries({ queryKey: invitationsKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  return (
    <section aria-labelledby="invite-title">
      <Title order={2} fz="xl" id="invite-title" mb="xs">
        Invite a member
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        We e-mail them a link to join; it works for 7 days. Members use the account's applications and keys;
        admins also manage members{viewer === 'owner' ? '; owners also manage owners' : ''}.
      </Text>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label="E-mail"
              type="email"
              autoComplete="off"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              style={{ flex: 1, minWidth: 220 }}
            />
            <NativeSelect
              label="Role"
              data={assignableRoles(viewer)}
              value={role}
              onChange={(event) => setRole(event.currentTarget.value)}
              w={140}
            />
            <Button type="submit" loading={invite.isPending}>
              Send invitation
            </Button>
          </Group>
          <FormError error={invite.error} />
          {invite.isSuccess && (
            <Alert color="green" title="Invitation sent" role="status">
              {invite.data.email} is invited as {withArticle(invite.data.role)}.
            </Alert>
          )}
        </Stack>
      </form>
    </section>
  );
}
