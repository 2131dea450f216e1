// Where a rule says so: its webhooks (URL and secret; a stored secret is kept unless a new one is
// typed, and one can be generated here) and its e-mail addresses.
import { Button, Fieldset, Group, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { PasswordField } from '../../../ui/PasswordField.tsx';
import { newWebhookSecret } from './alerts.ts';
import type { Draft, WebhookRow } from './draft.ts';

export function ChannelFields({ draft, change }: { draft: Draft; change: (next: Partial<Draft>) => void }) {
  const setWebhook = (index: number, next: Partial<WebhookRow>) =>
    change({ webhooks: draft.webhooks.map((w, i) => (i === index ? { ...w, ...next } : w)) });
  return (
    <Fieldset legend="Notifications">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Webhooks get a JSON POST signed with their secret (<code>Turnpike-Signature</code>, see
          docs/alerts.md). Secrets are never shown again: keep a copy for the receiver.
        </Text>
        {draft.webhooks.map((webhook, i) => {
          const kept = webhook.stored !== null && webhook.stored === webhook.url.trim();
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved.
            <Group key={i} align="flex-end" wrap="wrap" gap="sm">
              <TextInput
                label={`Webhook ${i + 1} URL`}
                placeholder="https://hooks.example.com/turnpike"
                required
                style={{ flex: '2 1 280px' }}
                value={webhook.url}
                onChange={(e) => setWebhook(i, { url: e.currentTarget.value })}
              />
              <PasswordField
                label={`Webhook ${i + 1} secret`}
                placeholder={kept ? 'Stored; type to replace' : 'At least 16 characters'}
                required={!kept}
                style={{ flex: '2 1 240px' }}
                value={webhook.secret}
                onChange={(e) => setWebhook(i, { secret: e.currentTarget.value })}
              />
              <Button variant="default" onClick={() => setWebhook(i, { secret: newWebhookSecret() })}>
                Generate
              </Button>
              <Button
                variant="default"
                c="red.9"
                aria-label={`Remove webhook ${i + 1}`}
                onClick={() => change({ webhooks: draft.webhooks.filter((_, j) => j !== i) })}
              >
                Remove
              </Button>
            </Group>
          );
        })}
        <Group>
          <Button
            variant="default"
            size="xs"
            disabled={draft.webhooks.length >= 10}
            onClick={() => change({ webhooks: [...draft.webhooks, { url: '', secret: '', stored: null }] })}
          >
            Add a webhook
          </Button>
        </Group>
        <TagsInput
          label="E-mail addresses"
          description="Up to 20; press Enter after each."
          maxTags={20}
          value={draft.emails}
          onChange={(emails) => change({ emails })}
        />
      </Stack>
    </Fieldset>
  );
}
