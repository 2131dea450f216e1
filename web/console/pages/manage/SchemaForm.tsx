// Draws the fields schema-form.ts works out from a JSON Schema: text, choices, numbers,
// switches, lists of words, fieldsets for objects, rows for lists of small objects, and JSON
// text for anything else.
import {
  Button,
  Fieldset,
  Group,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { emptyRow, type Field, type FormValue, type FormValues } from './schema-form.ts';

type Change = (value: FormValue) => void;

/** The fields of an object (a whole config), each bound to its key in `values`. */
export function SchemaFields({
  fields,
  values,
  onChange,
  errors,
  prefix = '',
}: {
  fields: Field[];
  values: FormValues;
  onChange: (values: FormValues) => void;
  /** By path (`limits[0].max`), shown under the field. */
  errors: Map<string, string>;
  prefix?: string;
}) {
  return (
    <Stack gap="md">
      {fields.map((field) => {
        const path = prefix === '' ? field.key : `${prefix}.${field.key}`;
        return (
          <SchemaField
            key={field.key}
            field={field}
            value={values[field.key]}
            onChange={(value) => onChange({ ...values, [field.key]: value })}
            errors={errors}
            path={path}
          />
        );
      })}
    </Stack>
  );
}

export function SchemaField({
  field,
  value,
  onChange,
  errors,
  path,
  label = field.label,
}: {
  field: Field;
  value: FormValue | undefined;
  onChange: Change;
  errors: Map<string, string>;
  path: string;
  /** Instead of the field's own label: in a row, `Max of limit 2`. */
  label?: string;
}) {
  const common = {
    label,
    description: field.description,
    error: errors.get(path),
    required: field.required,
  };
  switch (field.kind) {
    case 'text':
      return (
        <TextInput
          {...common}
          maxLength={field.maxLength}
          placeholder={field.nullable ? 'none' : undefined}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'select':
      return (
        <NativeSelect
          {...common}
          data={[
            ...(field.required && !field.nullable && field.hasDefault ? [] : [{ value: '', label: '—' }]),
            ...field.options,
          ]}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'number':
      return (
        <NumberInput
          {...common}
          min={field.min}
          max={field.max}
          allowDecimal={!field.integer}
          value={typeof value === 'number' || typeof value === 'string' ? value : ''}
          onChange={(v) => onChange(v)}
        />
      );
    case 'switch':
      return (
        <Switch
          label={label}
          description={field.description}
          error={common.error}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    case 'tags': {
      const list = Array.isArray(value) ? (value as string[]) : [];
      return field.options ? (
        <MultiSelect {...common} data={field.options} value={list} onChange={onChange} />
      ) : (
        <TagsInput
          {...common}
          description={`${field.description ?? ''} Press Enter after each.`.trim()}
          maxTags={field.maxItems}
          value={list}
          onChange={onChange}
        />
      );
    }
    case 'object':
      return (
        <Fieldset legend={label}>
          {field.description && (
            <Text size="xs" c="dimmed" mb="sm">
              {field.description}
            </Text>
          )}
          <SchemaFields
            fields={field.fields}
            values={(value ?? {}) as FormValues}
            onChange={onChange}
            errors={errors}
            prefix={path}
          />
        </Fieldset>
      );
    case 'rows':
      return (
        <RowsField
          field={field}
          value={value}
          onChange={onChange}
          errors={errors}
          path={path}
          label={label}
        />
      );
    case 'json':
      return (
        <Textarea
          {...common}
          description={`${field.description ?? ''} As JSON.`.trim()}
          autosize
          minRows={3}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}

/** A list of small objects, one row each: `Period of limit 1`, `Max of limit 1`, … */
function RowsField({
  field,
  value,
  onChange,
  errors,
  path,
  label,
}: {
  field: Extract<Field, { kind: 'rows' }>;
  value: FormValue | undefined;
  onChange: Change;
  errors: Map<string, string>;
  path: string;
  label: string;
}) {
  const rows = Array.isArray(value) ? (value as FormValues[]) : [];
  const item = field.itemLabel;
  const columns = field.fields.filter((f) => f.description).map((f) => `${f.label}: ${f.description}`);
  const full = field.maxItems !== undefined && rows.length >= field.maxItems;
  const atMinimum = field.minItems !== undefined && rows.length <= field.minItems;
  return (
    <Fieldset legend={label}>
      <Stack gap="sm">
        {/* The columns' descriptions once, above the rows, rather than under every input. */}
        {[field.description, ...columns].filter(Boolean).map((text) => (
          <Text key={text} size="xs" c="dimmed">
            {text}
          </Text>
        ))}
        {rows.map((row, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
          <Group key={index} align="flex-start" gap="sm" wrap="nowrap">
            {field.fields.map((column) => (
              <div key={column.key} style={{ flex: 1 }}>
                <SchemaField
                  field={{ ...column, description: undefined }}
                  label={`${column.label} of ${item} ${index + 1}`}
                  value={row[column.key]}
                  onChange={(v) =>
                    onChange(rows.map((r, i) => (i === index ? { ...r, [column.key]: v } : r)))
                  }
                  errors={errors}
                  path={`${path}[${index}].${column.key}`}
                />
              </div>
            ))}
            <Button
              variant="default"
              mt={24}
              aria-label={`Remove ${item} ${index + 1}`}
              disabled={atMinimum}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              Remove
            </Button>
          </Group>
        ))}
        <Group>
          <Button variant="default" onClick={() => onChange([...rows, emptyRow(field)])} disabled={full}>
            Add {item}
          </Button>
        </Group>
        {errors.get(path) && (
          <Text size="sm" c="red.9" role="alert">
            {errors.get(path)}
          </Text>
        )}
      </Stack>
    </Fieldset>
  );
}
