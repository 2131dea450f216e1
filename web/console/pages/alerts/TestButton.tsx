// "Send test": one signed `alert.test` call to each webhook of a rule and a mail to each address,
// then what each answered, so a provider knows the channels work before anything fires.
import { Button, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Dialog } from '../../../ui/Dialog.tsx';
import { FormError } from '../../../ui/states.tsx';
import { type AlertDelivery, type AlertRule, api } from '../../api.ts';
import { Deliveries } from './AlertHistory.tsx';
import { paths } from './alerts.ts';

export function TestButton({ rule, size = 'xs' }: { rule: AlertRule; size?: 'xs' | 'sm' }) {
  const [opened, setOpened] = useState(false);
  const test = useMutation({
    mutationFn: () => api.post<{ id: string; deliveries: AlertDelivery[] }>(paths.test(rule.id)),
  });
  return (
    <>
      <Button
        variant="default"
        size={size}
        aria-label={`Send a test of ${rule.name}`}
        onClick={() => {
          setOpened(true);
          test.mutate();
        }}
      >
        Send test
      </Button>
      <Dialog opened={opened} onClose={() => setOpened(false)} title={`Test of ${rule.name}`} size="lg">
        <Stack>
          {test.isPending && (
            <Text size="sm" role="status">
              Sending…
            </Text>
          )}
          <FormError error={test.error} />
          {test.data && (
            <>
              <Text size="sm">
                Sent event <code>{test.data.id}</code> (type <code>alert.test</code>) once to each channel:
              </Text>
              <Deliveries deliveries={test.data.deliveries} />
            </>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Close
            </Button>
          </Group>
        </Stack>
      </Dialog>
    </>
  );
}
