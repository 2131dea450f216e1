// One API: what it does, where it lives, an index of its operations and their reference from the
// OpenAPI document, the file itself, a form to try it with the same call as code samples, and the
// plans of the products that include it.
import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Code,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { Markdown } from '../../../ui/Markdown.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { type ApiDetail, api, type List, type Product, paths } from '../../api.ts';
import { product as portalName, useSession } from '../../session.tsx';
import { CodeSamples } from './CodeSamples.tsx';
import { gatewayPlaceholder } from './code-samples.ts';
import { firstPath, type Operation } from './openapi.ts';
import { PlanBadges, PlanLimits, PlanPrice } from './PlanSummary.tsx';
import { Reference } from './Reference.tsx';
import { type OperationGroup, referenceOf } from './reference.ts';
import { sendsBody, TryIt, type TryItRequest } from './TryIt.tsx';

export function ApiPage() {
  const { apiId = '' } = useParams();
  const detail = useQuery({
    queryKey: ['apis', 'one', apiId],
    queryFn: () => api.get<ApiDetail>(paths.api(apiId)),
  });
  usePageTitle(detail.data?.name ?? 'API', portalName);
  return (
    <QueryView query={detail} loadingLabel="Loading the API…">
      {(item) => <ApiDetails item={item} />}
    </QueryView>
  );
}

function ApiDetails({ item }: { item: ApiDetail }) {
  const groups = useMemo(() => referenceOf(item.openapi), [item.openapi]);
  const operations = useMemo(() => groups.flatMap((group) => group.operations), [groups]);
  const [request, setRequest] = useState<TryItRequest>(() => ({
    method: 'GET',
    path: firstPath(item.openapi),
    key: '',
    body: '',
  }));
  // Picking an operation fills the form with it (and its example body) and takes the reader there.
  const tryOperation = (operation: Operation) => {
    setRequest({ ...request, method: operation.method, path: operation.path, body: operation.example ?? '' });
    const heading = document.getElementById('try-it');
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus({ preventScroll: true });
  };
  const example = operations.find(
    (op) => op.method === request.method && op.path === request.path.split('?')[0],
  )?.example;
  const typedBody = request.body.trim() === '' ? undefined : request.body;
  const description = item.description ?? '';
  const info = (item.openapi?.info ?? {}) as { description?: unknown };
  const longDescription = item.overview || (typeof info.description === 'string' ? info.description : '');
  return (
    <>
      <PageHeader
        before={
          <Breadcrumbs aria-label="Breadcrumb">
            <Anchor component={Link} to="/apis" size="sm">
              APIs
            </Anchor>
            <Text size="sm">{item.name}</Text>
          </Breadcrumbs>
        }
        title={item.name}
        description={
          <Group gap="xs">
            {item.version && (
              <Badge variant="outline" color="gray" radius="sm" tt="none">
                version {item.version}
              </Badge>
            )}
            {item.lifecycle && <StateBadge state={item.lifecycle} />}
            <Text size="sm">
              Base path <Code>{item.basePath}</Code>
            </Text>
          </Group>
        }
        actions={item.openapi && <OpenApiDownload name={item.name} document={item.openapi} />}
      />
      <Stack gap="xl">
        <section aria-labelledby="overview">
          <Title order={2} id="overview" fz="xl" mb="sm">
            Overview
          </Title>
          {description === '' && longDescription === '' ? (
            <Text c="dimmed">No description.</Text>
          ) : (
            <Markdown source={[description, longDescription].filter((d) => d !== '').join('\n\n')} />
          )}
          <Text size="sm" mt="sm">
            Call it at <Code>{item.url ?? item.basePath}</Code>, with your application's key in the{' '}
            <Code>X-API-Key</Code> header.
          </Text>
          <ExternalDocs document={item.openapi} />
        </section>
        <OperationIndex groups={groups} />
        <Reference groups={groups} onTry={tryOperation} />
        <TryIt apiId={item.id} request={request} onChange={setRequest} />
        <CodeSamples
          request={{
            baseUrl: item.url ?? `${gatewayPlaceholder}${item.basePath}`,
            path: request.path,
            method: request.method,
            apiKey: request.key,
            ...(sendsBody(request.method) ? { body: typedBody ?? example } : {}),
          }}
        />
        <Plans apiId={item.id} included={item.products} />
        {item.changelog && (
          <section aria-labelledby="changelog">
            <Title order={2} id="changelog" fz="xl" mb="sm">
              Changelog
            </Title>
            <Markdown source={item.changelog} />
          </section>
        )}
      </Stack>
    </>
  );
}

/** The API's OpenAPI document as a file, made in the browser from the answer. */
function OpenApiDownload({ name, document }: { name: string; document: Record<string, unknown> }) {
  const [href, setHref] = useState<string>();
  useEffect(() => {
    const url = URL.createObjectURL(
      new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' }),
    );
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [document]);
  if (!href) return null;
  return (
    <Button component="a" href={href} download={`${name}.openapi.json`} variant="default">
      Download OpenAPI file
    </Button>
  );
}

/** The operations at a glance, each a link to its reference below. */
function OperationIndex({ groups }: { groups: OperationGroup[] }) {
  const tagged = groups.some((group) => group.tag !== undefined);
  if (groups.length === 0) return null;
  return (
    <section aria-labelledby="operations">
      <Title order={2} id="operations" fz="xl" mb="sm">
        Operations
      </Title>
      <Table.ScrollContainer minWidth={480}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Operation</Table.Th>
              <Table.Th scope="col">Summary</Table.Th>
              {tagged && <Table.Th scope="col">Tag</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.flatMap((group) =>
              group.operations.map((op) => (
                <Table.Tr key={op.id}>
                  <Table.Td>
                    <Anchor href={`#${op.id}`} ff="monospace" size="sm">
                      {op.method} {op.path}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {op.summary}
                    {op.deprecated && (
                      <>
                        {' '}
                        <StateBadge state="deprecated" />
                      </>
                    )}
                  </Table.Td>
                  {tagged && <Table.Td>{group.tag ?? ''}</Table.Td>}
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}

/** The plans of the products that include the API: from the API's answer, or from GET /products. */
function Plans({ apiId, included }: { apiId: string; included: Product[] | undefined }) {
  const session = useSession();
  const withPlans = included?.every((p) => Array.isArray(p.plans)) ? included : undefined;
  const products = useQuery({
    queryKey: ['products'],
    queryFn: () => api.get<List<Product>>('/products'),
    enabled: withPlans === undefined,
  });
  const source = withPlans
    ? { data: { data: withPlans }, error: null, isError: false, refetch: () => undefined }
    : products;
  return (
    <section aria-labelledby="plans">
      <Title order={2} id="plans" fz="xl" mb="sm">
        Plans
      </Title>
      <QueryView query={source} loadingLabel="Loading plans…">
        {({ data }) => {
          const including = data.filter((p) => p.apis.some((a) => a.id === apiId));
          if (including.length === 0 || including.every((p) => p.plans.length === 0)) {
            return <Empty title="No plans yet" description="No plan offers this API yet." />;
          }
          return (
            <Stack gap="lg">
              {including.map((p) => (
                <ProductPlans key={p.id} item={p} />
              ))}
              <Text size="sm">
                {session.data ? (
                  <>
                    To use a plan, open one of your{' '}
                    <Anchor component={Link} to="/applications">
                      applications
                    </Anchor>{' '}
                    and subscribe it.
                  </>
                ) : (
                  <>
                    <Anchor component={Link} to="/signup">
                      Create an account
                    </Anchor>{' '}
                    to get a key and subscribe to a plan.
                  </>
                )}
              </Text>
            </Stack>
          );
        }}
      </QueryView>
    </section>
  );
}

function ProductPlans({ item }: { item: Product }) {
  return (
    <Stack gap="xs">
      <Title order={3} fz="lg">
        {item.name}
      </Title>
      {item.description && <Text size="sm">{item.description}</Text>}
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
        {item.plans.map((plan) => (
          <Card key={plan.id} withBorder padding="md" radius="md" component="article">
            <Stack gap="xs">
              <Title order={4} fz="md">
                {plan.name}
              </Title>
              <PlanBadges plan={plan} />
              <PlanPrice plan={plan} />
              {plan.description && <Text size="sm">{plan.description}</Text>}
              <PlanLimits plan={plan} />
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

/** The OpenAPI document's `externalDocs` link, when it is an http(s) URL. */
function ExternalDocs({ document }: { document: unknown }) {
  const docs = (document as { externalDocs?: { url?: unknown; description?: unknown } } | null)?.externalDocs;
  const url = typeof docs?.url === 'string' && /^https?:\/\//.test(docs.url) ? docs.url : undefined;
  if (!url) return null;
  return (
    <Text size="sm" mt="xs">
      <Anchor href={url} target="_blank" rel="noopener noreferrer">
        {typeof docs?.description === 'string' && docs.description
          ? docs.description
          : 'External documentation'}
      </Anchor>
    </Text>
  );
}
