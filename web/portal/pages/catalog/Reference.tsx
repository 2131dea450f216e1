// The API reference on an API's page: each operation of the OpenAPI document with its anchor,
// description, security, parameters, request body and responses, grouped by tag when the document
// has tags. "Try it" on an operation fills the try-it form with it.
import { Anchor, Box, Button, Code, Group, Stack, Table, Text, Title, type TitleOrder } from '@mantine/core';
import { useEffect } from 'react';
import { Markdown } from '../../../ui/Markdown.tsx';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { inlineHeadings } from './inline-headings.ts';
import type {
  ExampleView,
  MediaView,
  OperationGroup,
  OperationView,
  ParameterView,
  ResponseView,
} from './reference.ts';
import { Facts, SchemaBlock, SchemaType } from './SchemaTree.tsx';

type Level = 3 | 4;
const below = (level: TitleOrder) => Math.min(6, level + 1) as TitleOrder;

export function Reference({
  groups,
  onTry,
}: {
  groups: OperationGroup[];
  onTry: (op: OperationView) => void;
}) {
  useScrollToHash(groups);
  if (groups.length === 0) return null;
  const tagged = groups.some((group) => group.tag !== undefined);
  return (
    <section aria-labelledby="reference">
      <Title order={2} id="reference" fz="xl" mb="sm">
        Reference
      </Title>
      <Stack gap="xl">
        {tagged
          ? groups.map((group) => <TagGroup key={group.tag ?? ''} group={group} onTry={onTry} />)
          : groups[0]?.operations.map((op) => <Operation key={op.id} op={op} level={3} onTry={onTry} />)}
      </Stack>
    </section>
  );
}

/** A link to `#op-…` opened in a new tab: the page draws after its data came, so scroll then. */
function useScrollToHash(groups: OperationGroup[]) {
  useEffect(() => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (groups.length > 0 && id.startsWith('op-')) document.getElementById(id)?.scrollIntoView();
  }, [groups]);
}

function TagGroup({ group, onTry }: { group: OperationGroup; onTry: (op: OperationView) => void }) {
  const id = `tag-${(group.tag ?? 'other').replace(/[^A-Za-z0-9_-]+/g, '-')}`;
  return (
    <section aria-labelledby={id}>
      <Title order={3} id={id} fz="lg" mb="xs">
        {group.tag ?? 'Other operations'}
      </Title>
      {group.description && <Description source={group.description} />}
      <Stack gap="xl" mt="md">
        {group.operations.map((op) => (
          <Operation key={op.id} op={op} level={4} onTry={onTry} />
        ))}
      </Stack>
    </section>
  );
}

function Description({ source }: { source: string }) {
  return (
    <Box fz="sm" className="tp-description">
      <Markdown source={inlineHeadings(source)} />
    </Box>
  );
}

function Operation({
  op,
  level,
  onTry,
}: {
  op: OperationView;
  level: Level;
  onTry: (op: OperationView) => void;
}) {
  const sub = below(level);
  return (
    <article aria-labelledby={op.id} className="tp-operation">
      <Title order={level} id={op.id} fz="md" mb={4}>
        {op.summary || `${op.method} ${op.path}`}
      </Title>
      <Group gap="xs" wrap="wrap" mb="xs">
        <Code fw={700}>{op.method}</Code>
        <Code>{op.path}</Code>
        {op.deprecated && <StateBadge state="deprecated" />}
        <Button
          size="compact-xs"
          variant="default"
          onClick={() => onTry(op)}
          aria-label={`Try it: ${op.method} ${op.path}`}
        >
          Try it
        </Button>
      </Group>
      <Stack gap="sm">
        {op.description && <Description source={op.description} />}
        {op.security && <Security ways={op.security} />}
        {op.parameters.length > 0 && (
          <Box>
            <Title order={sub} fz="sm" mb={4}>
              Parameters
            </Title>
            <Parameters parameters={op.parameters} />
          </Box>
        )}
        {op.requestBody && (
          <Box>
            <Title order={sub} fz="sm" mb={4}>
              Request body
            </Title>
            <Text size="sm">{op.requestBody.required ? 'Required.' : 'Optional.'}</Text>
            {op.requestBody.description && <Description source={op.requestBody.description} />}
            <Stack gap="sm" mt={4}>
              {op.requestBody.content.map((media) => (
                <Media key={media.type} media={media} />
              ))}
            </Stack>
          </Box>
        )}
        {op.responses.length > 0 && (
          <Box>
            <Title order={sub} fz="sm" mb={4}>
              Responses
            </Title>
            <Stack gap="sm">
              {op.responses.map((response) => (
                <Response key={response.status} response={response} />
              ))}
            </Stack>
          </Box>
        )}
      </Stack>
    </article>
  );
}

function Security({ ways }: { ways: string[] }) {
  return (
    <Text size="sm">
      <Text span size="sm" fw={600}>
        Authentication:
      </Text>{' '}
      {ways.length === 0 ? 'none needed' : ways.join(', or ')}
    </Text>
  );
}

function Parameters({ parameters }: { parameters: ParameterView[] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table withTableBorder verticalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">In</Table.Th>
            <Table.Th scope="col">Type</Table.Th>
            <Table.Th scope="col">Required</Table.Th>
            <Table.Th scope="col">Description</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {parameters.map((parameter) => (
            <Table.Tr key={`${parameter.in} ${parameter.name}`}>
              <Table.Th scope="row" fw={500}>
                <Code>{parameter.name}</Code>
              </Table.Th>
              <Table.Td>{parameter.in}</Table.Td>
              <Table.Td>{parameter.schema ? <SchemaType schema={parameter.schema} /> : 'any'}</Table.Td>
              <Table.Td>{parameter.required ? 'required' : 'optional'}</Table.Td>
              <Table.Td>
                {parameter.deprecated && <StateBadge state="deprecated" />}
                {parameter.description && <Description source={parameter.description} />}
                {parameter.schema && <Facts schema={parameter.schema} description={!parameter.description} />}
                {parameter.examples.map((example) => (
                  <Text key={`${example.label} ${example.value}`} size="sm">
                    <Text span size="sm" fw={500}>
                      Example{example.label ? ` (${example.label})` : ''}:
                    </Text>{' '}
                    <Code className="tp-inline-value">{example.value ?? example.externalValue}</Code>
                  </Text>
                ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Media({ media }: { media: MediaView }) {
  return (
    <Box>
      <Text size="sm" mb={2}>
        <Code>{media.type}</Code>
      </Text>
      {media.schema && <SchemaBlock schema={media.schema} />}
      {media.examples.map((example, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: examples may repeat and have no identity
        <Example key={index} example={example} />
      ))}
    </Box>
  );
}

function Example({ example }: { example: ExampleView }) {
  const external =
    example.externalValue && /^https?:\/\//.test(example.externalValue) ? example.externalValue : undefined;
  return (
    <Box mt={4}>
      <Text size="sm" fw={500}>
        Example{example.label ? `: ${example.label}` : ''}
      </Text>
      {example.description && <Description source={example.description} />}
      {example.value !== undefined && (
        <Code block className="tp-example">
          {example.value}
        </Code>
      )}
      {external && (
        <Anchor href={external} target="_blank" rel="noopener noreferrer" size="sm">
          The example, in another file
        </Anchor>
      )}
    </Box>
  );
}

function Response({ response }: { response: ResponseView }) {
  return (
    <Box className="tp-response">
      <Group gap="xs">
        <Code fw={700}>{response.status}</Code>
        {response.label && (
          <Text span size="sm" fw={600}>
            {response.label}
          </Text>
        )}
      </Group>
      {response.description && <Description source={response.description} />}
      {response.headers.length > 0 && (
        <Box mt={4}>
          <Text size="sm" fw={500}>
            Headers
          </Text>
          <ul className="tp-schema-fields">
            {response.headers.map((header) => (
              <li key={header.name}>
                <Group gap={6} wrap="wrap">
                  <Code fw={600}>{header.name}</Code>
                  {header.schema && <SchemaType schema={header.schema} />}
                </Group>
                {header.description && <Description source={header.description} />}
              </li>
            ))}
          </ul>
        </Box>
      )}
      <Stack gap="sm" mt={4}>
        {response.content.map((media) => (
          <Media key={media.type} media={media} />
        ))}
      </Stack>
    </Box>
  );
}
