// The time range and the filters of an analytics page: a choice of API, application, account
// and plan, and the narrower filters a drill-down set (route, status, hour of the day, weekday)
// as chips to remove.
import { Badge, CloseButton, Group, NativeSelect, Select, Stack } from '@mantine/core';
import { TimeRangePicker } from '../../../ui/TimeRangePicker.tsx';
import { hourSpan, utcOffsetName, viewerUtcOffset, weekdayNames } from '../../../ui/time-range.ts';
import { type Account, type Api, type Application, type Plan, useAdminList, useNames } from '../../api.ts';
import type { AnalyticsView, FilterName, Filters } from './view.ts';

/** Choices from an admin list; the chosen id stays a choice when it is not among the first 200. */
function useChoices<T extends { id: string; name: string }>(
  path: string,
  selected: string | undefined,
  label: (item: T) => string = (item) => item.name,
) {
  const list = useAdminList<T>(path);
  const data = (list.data ?? []).map((item) => ({ value: item.id, label: label(item) }));
  if (selected && !data.some((d) => d.value === selected)) data.unshift({ value: selected, label: selected });
  return data;
}

/** `Hour 14:00–15:00`, `Mondays`: with the offset when a shared link was made in another one. */
function timeOfWeekChips(filters: Filters): { name: FilterName; text: string }[] {
  const offset = Number(filters.utcOffsetMinutes ?? 0);
  const zone = offset === viewerUtcOffset() ? '' : ` (${utcOffsetName(offset)})`;
  const chips: { name: FilterName; text: string }[] = [];
  if (filters.hourOfDay)
    chips.push({ name: 'hourOfDay', text: `Hour ${hourSpan(Number(filters.hourOfDay))}${zone}` });
  const day = filters.weekday && weekdayNames[Number(filters.weekday) - 1];
  if (filters.weekday)
    chips.push({ name: 'weekday', text: `${day ? `${day}s` : `Weekday ${filters.weekday}`}${zone}` });
  return chips;
}

export function FilterBar({ view, statusFilter = false }: { view: AnalyticsView; statusFilter?: boolean }) {
  const { filters, setFilter } = view;
  const productName = useNames('/products');
  const apis = useChoices<Api>('/apis', filters.apiId);
  const applications = useChoices<Application>('/applications', filters.applicationId);
  const accounts = useChoices<Account>('/accounts', filters.accountId);
  const plans = useChoices<Plan>(
    '/plans',
    filters.planId,
    (plan) => `${productName(plan.productId)} / ${plan.name}`,
  );
  const select = (name: FilterName, label: string, data: { value: string; label: string }[]) => (
    <Select
      label={label}
      placeholder="All"
      data={data}
      value={filters[name] ?? null}
      onChange={(value) => setFilter(name, value)}
      searchable
      clearable
      nothingFoundMessage="None found"
      size="xs"
      w={190}
      comboboxProps={{ withinPortal: true }}
    />
  );
  const chips: { name: FilterName; text: string }[] = [];
  if (filters.routeId) chips.push({ name: 'routeId', text: `Route ${filters.routeId}` });
  if (filters.status) chips.push({ name: 'status', text: `Status ${filters.status}` });
  if (filters.statusClass && !statusFilter)
    chips.push({ name: 'statusClass', text: `Status ${filters.statusClass}` });
  chips.push(...timeOfWeekChips(filters));

  return (
    <Stack gap="sm" mb="lg">
      <TimeRangePicker value={view.range} onChange={view.setRange} />
      <Group gap="sm" align="flex-end" role="group" aria-label="Filters">
        {select('apiId', 'API', apis)}
        {select('applicationId', 'Application', applications)}
        {select('accountId', 'Account', accounts)}
        {select('planId', 'Plan', plans)}
        {statusFilter && (
          <NativeSelect
            label="Status"
            size="xs"
            data={[
              { value: '', label: 'Any' },
              ...['2xx', '3xx', '4xx', '5xx'].map((c) => ({ value: c, label: c })),
            ]}
            value={filters.statusClass ?? ''}
            onChange={(event) => setFilter('statusClass', event.currentTarget.value || null)}
          />
        )}
        {chips.map((chip) => (
          <Badge
            key={chip.name}
            size="lg"
            variant="light"
            color="gray"
            tt="none"
            fw={500}
            c="dark.7"
            rightSection={
              <CloseButton
                size="xs"
                aria-label={`Remove filter ${chip.text}`}
                onClick={() => setFilter(chip.name, null)}
              />
            }
          >
            {chip.text}
          </Badge>
        ))}
      </Group>
    </Stack>
  );
}
