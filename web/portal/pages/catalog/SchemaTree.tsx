// One schema of the API reference: its type, flags and facts, then its properties (or an array's
// items', or its variants) as a nested list. Each deeper level folds away in a <details> and is
// drawn only once opened, so a large document stays a light page.
import { Box, Code, Group, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { Markdown } from '../../../ui/Markdown.tsx';
import { inlineHeadings } from './inline-headings.ts';
import { type FieldView, inside, type SchemaView } from './schema-view.ts';
import './reference.css';

/** A schema at the top of a body, a response or a parameter: its first level shown open. */
export function SchemaBlock({ schema }: { schema: SchemaView }) {
  return (
    <Box>
      <Group gap={6} wrap="wrap">
        <Text span size="sm" fw={600}>
          Schema
        </Text>
        <SchemaType schema={schema} />
        <Flags schema={schema} />
      </Group>
      <Facts schema={schema} />
      <Contents schema={schema} />
    </Box>
  );
}

/** `object (Forecast)`, `array of Day`, `string (date-time)`: the type, named by component or title. */
export function SchemaType({ schema }: { schema: SchemaView }) {
  const name = schema.name ?? schema.title;
  return (
    <Text span size="sm" c="dimmed" ff="monospace">
      {schema.type}
      {name !== undefined && !schema.type.includes(name) && ` (${name})`}
    </Text>
  );
}

function Flags({ schema }: { schema: SchemaView }) {
  const flags = [
    schema.nullable && 'nullable',
    schema.readOnly && 'read-only',
    schema.writeOnly && 'write-only',
    schema.deprecated && 'deprecated',
  ].filter((flag): flag is string => typeof flag === 'string');
  if (flags.length === 0) return null;
  return (
    <Text span size="xs" c="dimmed">
      {flags.join(' · ')}
    </Text>
  );
}

const shownValues = 20;

/** Description, allowed values, default, examples, limits, and why a level is not expanded. */
export function Facts({ schema, description = true }: { schema: SchemaView; description?: boolean }) {
  const values = schema.enum ?? [];
  return (
    <>
      {description && schema.description && (
        <Box fz="sm" className="tp-description">
          <Markdown source={inlineHeadings(schema.description)} />
        </Box>
      )}
      {values.length === 1 && (
        <Fact label="Always">
          <Code>{values[0]}</Code>
        </Fact>
      )}
      {values.length > 1 && (
        <Fact label="One of">
          {values.slice(0, shownValues).map((value, index) => (
            <span key={value}>
              {index > 0 && ', '}
              <Code>{value}</Code>
            </span>
          ))}
          {values.length > shownValues && ` and ${values.length - shownValues} more`}
        </Fact>
      )}
      {schema.default !== undefined && (
        <Fact label="Default">
          <Code>{schema.default}</Code>
        </Fact>
      )}
      {schema.examples.slice(0, 3).map((example) => (
        <Fact key={example} label="Example">
          <Code className="tp-inline-value">{example}</Code>
        </Fact>
      ))}
      {schema.constraints.length > 0 && <Fact label="Limits">{schema.constraints.join(', ')}</Fact>}
      {schema.circular && (
        <Text size="sm" c="dimmed">
          Refers back to {schema.name ?? 'a schema'}, shown above.
        </Text>
      )}
      {schema.truncated && (
        <Text size="sm" c="dimmed">
          Nested too deeply to show here; see the OpenAPI file.
        </Text>
      )}
      {schema.problem && (
        <Text size="sm" c="dimmed">
          Not shown: {schema.problem}.
        </Text>
      )}
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Text size="sm">
      <Text span size="sm" fw={500}>
        {label}:
      </Text>{' '}
      {children}
    </Text>
  );
}

/** The properties or variants of the schema (or of its items), one level. */
function Contents({ schema }: { schema: SchemaView }) {
  const body = inside(schema);
  if (!body || schema.circular) return null;
  // `additionalProperties: true` beside named properties says more may come; a schema says what.
  const other =
    body.additional === true ? (body.properties.length > 0 ? anything : undefined) : body.additional;
  const fields = other ? [...body.properties, { name: '', required: false, schema: other }] : body.properties;
  return (
    <>
      {fields.length > 0 && (
        <ul className="tp-schema-fields">
          {fields.map((field) => (
            <Field key={field.name} field={field} />
          ))}
        </ul>
      )}
      {body.variants && <Variants variants={body.variants} />}
    </>
  );
}

const anything: SchemaView = {
  type: 'any',
  nullable: false,
  readOnly: false,
  writeOnly: false,
  deprecated: false,
  examples: [],
  constraints: [],
  properties: [],
};

function Variants({ variants }: { variants: NonNullable<SchemaView['variants']> }) {
  return (
    <Box mt={4}>
      <Text size="sm">
        {variants.kind === 'one of' ? 'Exactly one of these' : 'One or more of these'}
        {variants.discriminator && (
          <>
            , told apart by <Code>{variants.discriminator}</Code>
          </>
        )}
        :
      </Text>
      <ol className="tp-schema-fields">
        {variants.options.map((option, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: variants have no identity beyond their place
          <li key={index}>
            <Group gap={6} wrap="wrap">
              <Text span size="sm" fw={600}>
                {option.name ?? `Variant ${index + 1}`}
              </Text>
              <SchemaType schema={option} />
              <Flags schema={option} />
            </Group>
            <Facts schema={option} />
            <Nested schema={option} label={`the variant ${option.name ?? index + 1}`} />
          </li>
        ))}
      </ol>
    </Box>
  );
}

function Field({ field }: { field: FieldView }) {
  const { name, schema } = field;
  return (
    <li>
      <Group gap={6} wrap="wrap">
        {name === '' ? (
          <Text span size="sm" fs="italic">
            any other property
          </Text>
        ) : (
          <Code fw={600}>{name}</Code>
        )}
        <SchemaType schema={schema} />
        {field.required && (
          <Text span size="xs" fw={700}>
            required
          </Text>
        )}
        <Flags schema={schema} />
      </Group>
      <Facts schema={schema} />
      <Nested schema={schema} label={name === '' ? 'other properties' : name} />
    </li>
  );
}

/** The next level down, folded: "Properties of days", drawn when opened. */
function Nested({ schema, label }: { schema: SchemaView; label: string }) {
  const body = inside(schema);
  const [open, setOpen] = useState(false);
  if (!body || schema.circular) return null;
  const what = body.variants && body.properties.length === 0 ? 'Variants' : 'Properties';
  const of = body === schema ? label : `each item of ${label}`;
  return (
    <details className="tp-schema-nested" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        <Text span size="sm">
          {what} of {of}
        </Text>
      </summary>
      {open && <Contents schema={schema} />}
    </details>
  );
}
