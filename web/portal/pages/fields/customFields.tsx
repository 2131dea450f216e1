// The provider's extra fields (GET /portal/v1/fields): inputs for them in the sign-up and
// application forms, their values as the API takes them, the API's complaints about each, and
// the values shown back.
import { NativeSelect, Table, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiError, type List } from '../../../ui/api.ts';
import { api } from '../../api.ts';

export type FieldTarget = 'account' | 'developer' | 'application';

export interface FieldDefinition {
  target: FieldTarget;
  name: string;
  label: string;
  type: 'text' | 'choice';
  choices: string[];
  required: boolean;
  order: number;
}

/** Values by field name, as `customFields`, `accountFields` and `developerFields` carry them. */
export type FieldValues = Record<string, string>;

/**
 * The fields of one target, in form order. While they load, or when they cannot be read, there
 * are none: the form still works, and the API names any required field left out.
 */
export function useFields(target: FieldTarget): FieldDefinition[] {
  const fields = useQuery({
    queryKey: ['fields'],
    queryFn: () => api.get<List<FieldDefinition>>('/fields'),
    staleTime: 60_000,
  });
  return (fields.data?.data ?? [])
    .filter((f) => f.target === target)
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

/** The values to send: trimmed, empty ones left out (an optional field left blank has none). */
export function filledValues(values: FieldValues): FieldValues {
  return Object.fromEntries(
    Object.entries(values)
      .map(([name, value]) => [name, value.trim()] as const)
      .filter(([, value]) => value !== ''),
  );
}

/** The API's message for each field under `body.<key>.<name>`, to show at the input. */
export function fieldErrors(error: unknown, key: string): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const prefix = `body.${key}.`;
  return Object.fromEntries(
    (error.problem.errors ?? [])
      .filter((e) => e.path.startsWith(prefix))
      .map((e) => [e.path.slice(prefix.length), e.message]),
  );
}

/** One input per field: text fields as text inputs, choices as selects. */
export function FieldInputs({
  fields,
  values,
  onChange,
  errors = {},
}: {
  fields: FieldDefinition[];
  values: FieldValues;
  onChange: (values: FieldValues) => void;
  errors?: Record<string, string>;
}) {
  return (
    <>
      {fields.map((field) => {
        const value = values[field.name] ?? '';
        const set = (next: string) => onChange({ ...values, [field.name]: next });
        return field.type === 'choice' ? (
          <NativeSelect
            key={field.name}
            label={field.label}
            required={field.required}
            data={[{ value: '', label: field.required ? 'Choose one' : 'None' }, ...field.choices]}
            value={value}
            onChange={(e) => set(e.currentTarget.value)}
            error={errors[field.name]}
          />
        ) : (
          <TextInput
            key={field.name}
            label={field.label}
            required={field.required}
            maxLength={1000}
            value={value}
            onChange={(e) => set(e.currentTarget.value)}
            error={errors[field.name]}
          />
        );
      })}
    </>
  );
}

/** The values given for the fields, label by label; nothing when no field has one. */
export function FieldValuesTable({
  fields,
  values,
  caption,
}: {
  fields: FieldDefinition[];
  values: FieldValues | undefined;
  caption: string;
}) {
  const shown = fields.filter((f) => (values?.[f.name] ?? '') !== '');
  if (shown.length === 0) return null;
  return (
    <Table variant="vertical" withTableBorder maw={640} mb="lg" captionSide="top">
      <Table.Caption className="visually-hidden">{caption}</Table.Caption>
      <Table.Tbody>
        {shown.map((field) => (
          <Table.Tr key={field.name}>
            <Table.Th scope="row" w={200}>
              {field.label}
            </Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{values?.[field.name]}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
