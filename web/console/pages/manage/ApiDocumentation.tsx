// The Documentation tab of an API: what the developer portal shows on its page (overview and
// changelog, in Markdown) and its OpenAPI document (upload a new one, download, remove).
import { Alert, Anchor, Button, Group, Input, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useId, useState } from 'react';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { formatNumber } from '../../../ui/format.ts';
import { FormError } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { useApi } from './ApiPage.tsx';
import { parseOpenApi } from './openapi-import.ts';
import { Section } from './parts.tsx';
import { type ApiDetail, paths, refreshAll } from './resources.ts';

export function ApiDocumentation() {
  return (
    <Stack gap="xl">
      <PortalTexts />
      <OpenApiDocument />
    </Stack>
  );
}

function PortalTexts() {
  const current = useApi();
  const client = useQueryClient();
  const [overview, setOverview] = useState(current.overview);
  const [changelog, setChangelog] = useState(current.changelog);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => api.patch<ApiDetail>(paths.api(current.id), { overview, changelog }),
    onSuccess: async () => {
      await refreshAll(client);
      setSaved(true);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };
  return (
    <Section title="Portal page" description="Markdown. The developer portal shows them on the API's page.">
      <form onSubmit={submit}>
        <Stack maw={860}>
          <Textarea
            label="Overview"
            description="What the API is for and how to start; up to 100,000 characters."
            autosize
            minRows={6}
            maxRows={24}
            value={overview}
            onChange={(e) => {
              setSaved(false);
              setOverview(e.currentTarget.value);
            }}
          />
          <Textarea
            label="Changelog"
            description="What changed in each version, newest first."
            autosize
            minRows={4}
            maxRows={24}
            value={changelog}
            onChange={(e) => {
              setSaved(false);
              setChangelog(e.currentTarget.value);
            }}
          />
          <FormError error={save.error} />
          {saved && (
            <Alert color="green" role="status" title="Saved">
              The portal shows the new texts.
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              Save portal page
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function OpenApiDocument() {
  const current = useApi();
  const client = useQueryClient();
  const inputId = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (openapi: Record<string, unknown>) =>
      api.patch<ApiDetail>(paths.api(current.id), { openapi }),
    onSuccess: () => refreshAll(client),
  });
  const remove = async () => {
    await api.patch<ApiDetail>(paths.api(current.id), { openapi: null });
    upload.reset();
    await refreshAll(client);
  };
  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setProblem(null);
    upload.reset();
    const parsed = await parseOpenApi(await file.text());
    input.value = '';
    if (!parsed.ok) setProblem(parsed.message);
    else upload.mutate(parsed.document);
  };
  const summary = current.openapiSummary;
  return (
    <Section
      title="OpenAPI document"
      description="The portal lists its operations and offers a try-it form. Routes do not change with it."
    >
      <Stack maw={860}>
        {summary ? (
          <Text size="sm">
            {summary.title ?? 'Untitled'}
            {summary.version && ` ${summary.version}`}, OpenAPI {summary.openapi},{' '}
            {formatNumber(summary.bytes)} bytes.{' '}
            <Anchor href={`/admin/v1${paths.api(current.id)}/openapi`} download underline="always">
              Download the document
            </Anchor>
          </Text>
        ) : (
          <Text size="sm">No document yet.</Text>
        )}
        <Input.Wrapper
          id={inputId}
          label={summary ? 'Replace the OpenAPI document' : 'Upload an OpenAPI document'}
          description="A JSON or YAML file, OpenAPI 3.x, up to 5 MiB."
        >
          <input
            id={inputId}
            type="file"
            accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml"
            onChange={(event) => void choose(event)}
            disabled={upload.isPending}
            style={{ display: 'block', marginTop: 6 }}
          />
        </Input.Wrapper>
        {upload.isPending && (
          <Text size="sm" role="status">
            Uploading…
          </Text>
        )}
        {upload.isSuccess && (
          <Alert color="green" role="status" title="Saved">
            The portal shows the new document.
          </Alert>
        )}
        <FormError error={problem === null ? upload.error : new Error(problem)} />
        {summary && (
          <Group>
            <ConfirmButton
              title="Remove the OpenAPI document?"
              message="The portal no longer lists the API's operations. The routes stay."
              confirmLabel="Remove document"
              onConfirm={remove}
            >
              Remove document
            </ConfirmButton>
          </Group>
        )}
      </Stack>
    </Section>
  );
}
