// The Routes tab of an API: methods and path patterns under its base path, the metric each
// call counts against, and by how much.
import {
  Button,
  Checkbox,
  Code,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { Dialog } from '../../../ui/Dialog.tsx';
import { Empty, FormError, QueryView } from '../../../ui/states.tsx';
import { api, useAdminList } from '../../api.ts';
import { LoadMore } from '../lists.tsx';
import { useApi } from './ApiPage.tsx';
import { FormActions, Section } from './parts.tsx';
import { numberOf, paths, type Route, refreshAll } from './resources.ts';

export const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const fullPath = (basePath: string, path: string) =>
  basePath === '/' ? path : path === '/' ? basePath : `${basePath}${path}`;

export function ApiRoutes() {
  const current = useApi();
  const routes = useAdminList<Route>(paths.routes(current.id));
  const client = useQueryClient();
  // `null`: closed; `'new'`: adding one; a route: changing it.
  const [editing, setEditing] = useState<Route | 'new' | null>(null);
  const add = <Button onClick={() => setEditing('new')}>Add route</Button>;
  return (
    <Section
      title="Routes"
      description={
        <>
          A request reaches the API only through a route. Paths are under <Code>{current.basePath}</Code>:{' '}
          <Code>{'{name}'}</Code> matches one segment, a final <Code>*</Code> the rest.
        </>
      }
      actions={add}
    >
      <QueryView query={routes} loadingLabel="Loading routes…">
        {(items) =>
          items.length === 0 ? (
            <Empty
              title="No routes yet"
              description="Add one: an API without routes serves nothing."
              action={add}
            />
          ) : (
            <>
              <Table.ScrollContainer minWidth={720}>
                <Table highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Route</Table.Th>
                      <Table.Th scope="col">Methods</Table.Th>
                      <Table.Th scope="col">Path</Table.Th>
                      <Table.Th scope="col">Metric</Table.Th>
                      <Table.Th scope="col" ta="right">
                        Delta
                      </Table.Th>
                      <Table.Th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((route) => (
                      <Table.Tr key={route.id}>
                        <Table.Th scope="row" fw={500}>
                          {route.name}
                        </Table.Th>
                        <Table.Td>{route.methods.length === 0 ? 'any' : route.methods.join(', ')}</Table.Td>
                        <Table.Td>
                          <Code>{fullPath(current.basePath, route.path)}</Code>
                        </Table.Td>
                        <Table.Td>{route.metric}</Table.Td>
                        <Table.Td ta="right">{route.delta}</Table.Td>
                        <Table.Td>
                          <Group gap="xs" justify="flex-end" wrap="nowrap">
                            <Button
                              size="xs"
                              variant="default"
                              onClick={() => setEditing(route)}
                              aria-label={`Edit route ${route.name}`}
                            >
                              Edit
                            </Button>
                            <ConfirmButton
                              title={`Delete route ${route.name}?`}
                              message="Calls to it are answered 404 at once, and its policies go with it."
                              confirmLabel="Delete route"
                              ariaLabel={`Delete route ${route.name}`}
                              onConfirm={async () => {
                                await api.delete(paths.route(current.id, route.id));
                                await refreshAll(client);
                              }}
                            >
                              Delete
                            </ConfirmButton>
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <LoadMore list={routes} />
            </>
          )
        }
      </QueryView>
      <Dialog
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' || editing === null ? 'Add a route' : `Edit route ${editing.name}`}
        size="lg"
      >
        {editing !== null && (
          <RouteForm
            key={editing === 'new' ? 'new' : editing.id}
            apiId={current.id}
            route={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        )}
      </Dialog>
    </Section>
  );
}

function RouteForm({
  apiId,
  route,
  onDone,
}: {
  apiId: string;
  route: Route | undefined;
  onDone: () => void;
}) {
  const client = useQueryClient();
  const [name, setName] = useState(route?.name ?? '');
  const [chosen, setChosen] = useState<string[]>(route?.methods ?? ['GET']);
  const [path, setPath] = useState(route?.path ?? '/');
  const [metric, setMetric] = useState(route?.metric ?? 'hits');
  const [delta, setDelta] = useState<number | string>(route?.delta ?? 1);
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: name.trim(),
        methods: chosen,
        path: path.trim(),
        metric: metric.trim(),
        delta: numberOf(delta),
      };
      return route ? api.patch(paths.route(apiId, route.id), body) : api.post(paths.routes(apiId), body);
    },
    onSuccess: async () => {
      await refreshAll(client);
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label="Name"
          description="Unique within the API."
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-autofocus
        />
        <Checkbox.Group
          label="Methods"
          description="None checked: every method (the fallback for methods other routes on the path do not name)."
          value={chosen}
          onChange={setChosen}
        >
          <Group gap="md" mt={6}>
            {methods.map((m) => (
              <Checkbox key={m} value={m} label={m} />
            ))}
          </Group>
        </Checkbox.Group>
        <TextInput
          label="Path"
          description="Under the base path: /forecast/{city}, /files/*, or / for the base path itself."
          required
          value={path}
          onChange={(e) => setPath(e.currentTarget.value)}
        />
        <SimpleGrid cols={2}>
          <TextInput
            label="Metric"
            description="What a call counts against in plan limits."
            required
            value={metric}
            onChange={(e) => setMetric(e.currentTarget.value)}
          />
          <NumberInput
            label="Delta"
            description="Units a call adds, 1 to 1,000,000."
            min={1}
            max={1_000_000}
            allowDecimal={false}
            value={delta}
            onChange={setDelta}
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          Two routes the gateway could not tell apart are refused, naming both.
        </Text>
        <FormError error={save.error} />
        <FormActions submit={route ? 'Save route' : 'Add route'} busy={save.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}
