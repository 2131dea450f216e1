// Whether new accounts from the portal are approved at once or wait in the approvals.
import { Button, Group, NativeSelect, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { FormError } from '../../../ui/states.tsx';
import { api } from '../../api.ts';

const signupKey = ['admin', '/portal/signup'] as const;

export function AccountApproval() {
  const client = useQueryClient();
  const settings = useQuery({
    queryKey: signupKey,
    queryFn: () => api.get<{ accountApproval: 'auto' | 'manual' }>('/portal/signup'),
  });
  const [value, setValue] = useState<'auto' | 'manual'>('auto');
  useEffect(() => {
    if (settings.data) setValue(settings.data.accountApproval);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () => api.put('/portal/signup', { accountApproval: value }),
    onSuccess: () => client.invalidateQueries({ queryKey: signupKey }),
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <Group align="flex-end">
        <NativeSelect
          label="New accounts"
          description="Waiting accounts appear in Approvals; their applications cannot call APIs until approved."
          data={[
            { value: 'auto', label: 'Approved at once' },
            { value: 'manual', label: 'Wait for my approval' },
          ]}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value as 'auto' | 'manual')}
        />
        <Button type="submit" loading={save.isPending} disabled={settings.isPending}>
          Save approval setting
        </Button>
      </Group>
      {save.isSuccess && (
        <Text size="sm" role="status" mt="xs">
          Saved.
        </Text>
      )}
      <FormError error={save.error ?? settings.error} />
    </form>
  );
}
