// Import an OpenAPI file as an API: the file fills the API's fields and document, and each
// operation may become a route; then the API and its routes are created through the admin API.
import { Alert, Anchor, Checkbox, Code, Input, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage, segment } from '../../../ui/api.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { FormError } from '../../../ui/states.tsx';
import { api } from '../../api.ts';
import { product } from '../../session.tsx';
import { type ApiFields, ApiFieldsInputs, apiBodyOf, newApiFields } from './ApiFields.tsx';
import {
  type OpenApiDocument,
  parseOpenApi,
  type SuggestedRoute,
  suggestApi,
  suggestRoutes,
} from './openapi-import.ts';
import { Crumbs, FormActions, Section } from './parts.tsx';
import { type ApiDetail, paths, refreshAll } from './resources.ts';

interface Imported {
  fileName: string;
  document: OpenApiDocument;
  routes: SuggestedRoute[];
}

interface Outcome {
  api: ApiDetail;
  failed: { route: SuggestedRoute; message: string }[];
}

export function ImportOpenApi() {
  usePageTitle('Import an OpenAPI file', product);
  const inputId = useId();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [imported, setImported] = useState<Imported | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [fields, setFields] = useState<ApiFields>(newApiFields);
  const [chosen, setChosen] = useState<Set<string>>(new Set());

  const read = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    setProblem(null);
    create.reset();
    if (!file) return;
    const parsed = await parseOpenApi(await file.text());
    if (!parsed.ok) {
      setImported(null);
      setProblem(parsed.message);
      return;
    }
    const suggestion = suggestApi(parsed.document);
    const routes = suggestRoutes(parsed.document);
    setImported({ fileName: file.name, document: parsed.document, routes });
    setChosen(new Set(routes.map((r) => r.name)));
    setFields((current) => ({
      ...newApiFields,
      upstreamId: current.upstreamId,
      name: suggestion.name,
      version: suggestion.version,
      description: suggestion.description,
      basePath: suggestion.basePath ?? `/${suggestion.name.toLowerCase()}`,
    }));
  };

  // The API first, then its routes one by one: a route the gateway refuses (a clash with
  // another API's route) is reported and the others are still made.
  const create = useMutation({
    mutationFn: async (document: OpenApiDocument): Promise<Outcome> => {
      const created = await api.post<ApiDetail>('/apis', { ...apiBodyOf(fields), openapi: document });
      const failed: Outcome['failed'] = [];
      for (const route of imported?.routes ?? []) {
        if (!chosen.has(route.name)) continue;
        try {
          await api.post(paths.routes(created.id), {
            name: route.name,
            methods: [route.method],
            path: route.path,
          });
        } catch (error) {
          failed.push({ route, message: errorMessage(error) });
        }
      }
      return { api: created, failed };
    },
    onSuccess: async (outcome) => {
      await refreshAll(client);
      if (outcome.failed.length === 0) navigate(`/apis/${segment(outcome.api.id)}/routes`);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (imported && !create.data) create.mutate(imported.document);
  };
  const toggle = (name: string, on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });

  return (
    <>
      <PageHeader
        before={<Crumbs list="APIs" to="/apis" current="Import" />}
        title="Import an OpenAPI file"
        description="The file fills in the API, becomes its document in the portal, and can give it one route per operation."
      />
      <Stack gap="xl" maw={960}>
        <Input.Wrapper
          id={inputId}
          label="OpenAPI file"
          description="OpenAPI 3.x as JSON or YAML. Swagger 2.0 files need converting first."
        >
          <input
            id={inputId}
            type="file"
            accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml"
            onChange={(event) => void read(event)}
            style={{ display: 'block', marginTop: 6 }}
          />
        </Input.Wrapper>
        <FormError error={problem === null ? null : new Error(problem)} />
        {imported && (
          <form onSubmit={submit}>
            <Stack gap="xl">
              <Section
                title="The API"
                description={`From ${imported.fileName}. Check the fields and choose an upstream.`}
              >
                <ApiFieldsInputs value={fields} onChange={setFields} />
              </Section>
              <Section
                title="Routes"
                description={
                  <>
                    One route per operation, under the base path. Parameters become the gateway's{' '}
                    <Code>{'{name}'}</Code> segments.
                  </>
                }
              >
                <RouteChoices routes={imported.routes} chosen={chosen} toggle={toggle} />
              </Section>
              {create.data && create.data.failed.length > 0 && (
                <Alert
                  color="yellow"
                  role="status"
                  title={`The API was created; ${create.data.failed.length} of its routes were not`}
                >
                  <Stack gap={4}>
                    {create.data.failed.map(({ route, message }) => (
                      <Text key={route.name} size="sm" style={{ whiteSpace: 'pre-line' }}>
                        {route.name} ({route.method} {route.path}): {message}
                      </Text>
                    ))}
                    <Anchor component={Link} to={`/apis/${segment(create.data.api.id)}/routes`} size="sm">
                      Go to the API's routes
                    </Anchor>
                  </Stack>
                </Alert>
              )}
              <FormError error={create.error} />
              {!create.data && (
                <FormActions
                  submit={
                    chosen.size === 0
                      ? 'Create API'
                      : `Create API and ${chosen.size} ${chosen.size === 1 ? 'route' : 'routes'}`
                  }
                  busy={create.isPending}
                  cancelTo="/apis"
                />
              )}
            </Stack>
          </form>
        )}
      </Stack>
    </>
  );
}

function RouteChoices({
  routes,
  chosen,
  toggle,
}: {
  routes: SuggestedRoute[];
  chosen: Set<string>;
  toggle: (name: string, on: boolean) => void;
}) {
  if (routes.length === 0)
    return <Text size="sm">The document has no operations: the API starts without routes.</Text>;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">
              <span className="visually-hidden">Create</span>
            </Table.Th>
            <Table.Th scope="col">Route</Table.Th>
            <Table.Th scope="col">Method</Table.Th>
            <Table.Th scope="col">Path</Table.Th>
            <Table.Th scope="col">Summary</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {routes.map((route) => (
            <Table.Tr key={route.name}>
              <Table.Td>
                <Checkbox
                  aria-label={`Create route ${route.name}`}
                  checked={chosen.has(route.name)}
                  onChange={(e) => toggle(route.name, e.currentTarget.checked)}
                />
              </Table.Td>
              <Table.Th scope="row" fw={500}>
                {route.name}
              </Table.Th>
              <Table.Td>{route.method}</Table.Td>
              <Table.Td>
                <Code>{route.path}</Code>
                {route.path !== route.documentPath && (
                  <Text size="xs" c="dimmed">
                    {route.note ?? 'Renamed parameters'} (document: {route.documentPath})
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{route.summary || '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
