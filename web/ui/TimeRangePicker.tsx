// The time range of an analytics page: last hour … last 30 days, or a custom from/to in the
// viewer's time zone. The page keeps the choice in its URL (time-range.ts).
import { Button, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { type PresetKey, presets, type RangeKey, type TimeRange, toLocalInput } from './time-range.ts';

export interface RangeChoice {
  key: RangeKey;
  from?: Date;
  to?: Date;
}

export function TimeRangePicker({
  value,
  onChange,
  options = presets.map((p) => p.key),
  custom = true,
}: {
  value: TimeRange;
  onChange: (choice: RangeChoice) => void;
  /** The presets offered, in order. */
  options?: readonly PresetKey[];
  /** Offer a custom from/to. */
  custom?: boolean;
}) {
  const [editing, setEditing] = useState(value.key === 'custom');
  const [from, setFrom] = useState(toLocalInput(value.from));
  const [to, setTo] = useState(toLocalInput(value.to));
  const [problem, setProblem] = useState<string | null>(null);
  // A new range from elsewhere (a link, Back) shows in the fields.
  const fromMs = value.from.getTime();
  const toMs = value.to.getTime();
  useEffect(() => {
    setFrom(toLocalInput(new Date(fromMs)));
    setTo(toLocalInput(new Date(toMs)));
    if (value.key === 'custom') setEditing(true);
  }, [value.key, fromMs, toMs]);

  const data = [
    ...options.map((key) => {
      const preset = presets.find((p) => p.key === key);
      return { value: key, label: preset?.label ?? key };
    }),
    ...(custom ? [{ value: 'custom', label: 'Custom' }] : []),
  ];

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const start = new Date(from);
    const end = new Date(to);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
      setProblem('Enter a date and time in both fields.');
      return;
    }
    if (start >= end) {
      setProblem('The start must be before the end.');
      return;
    }
    setProblem(null);
    onChange({ key: 'custom', from: start, to: end });
  };

  return (
    <Stack gap="xs">
      <SegmentedControl
        aria-label="Time range"
        data={data}
        value={editing ? 'custom' : value.key}
        onChange={(key) => {
          if (key === 'custom') setEditing(true);
          else {
            setEditing(false);
            onChange({ key: key as PresetKey });
          }
        }}
        size="sm"
      />
      {editing && (
        <form onSubmit={apply} aria-label="Custom time range">
          <Group gap="xs" align="flex-end" wrap="wrap">
            <TextInput
              type="datetime-local"
              label="From"
              size="xs"
              value={from}
              onChange={(event) => setFrom(event.currentTarget.value)}
              required
            />
            <TextInput
              type="datetime-local"
              label="To"
              size="xs"
              value={to}
              onChange={(event) => setTo(event.currentTarget.value)}
              required
            />
            <Button type="submit" size="xs" variant="default">
              Apply range
            </Button>
          </Group>
          {problem && (
            <Text size="sm" c="red.9" role="alert" mt={4}>
              {problem}
            </Text>
          )}
        </form>
      )}
    </Stack>
  );
}
