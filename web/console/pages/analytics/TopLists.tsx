// The status-code breakdown and the top lists of the dashboard (applications, accounts, APIs,
// routes, plans): each row links to its requests in the log, each list exports as CSV.
import { SimpleGrid, Text } from '@mantine/core';
import { BreakdownTable } from '../../../ui/BreakdownTable.tsx';
import { CsvButton, csvUrl } from '../../../ui/CsvButton.tsx';
import { QueryView } from '../../../ui/states.tsx';
import { adminUrl, type TopDimension } from '../../api.ts';
import { useTop } from './queries.ts';
import { Section } from './Section.tsx';
import { type AnalyticsView, type FilterName, requestLogHref } from './view.ts';

interface TopSpec {
  by: TopDimension;
  title: string;
  header: string;
  /** The filter a row sets in the request log. */
  filter: FilterName;
  description?: string;
}

const lists: TopSpec[] = [
  { by: 'application', title: 'Top applications', header: 'Application', filter: 'applicationId' },
  { by: 'account', title: 'Top accounts', header: 'Account', filter: 'accountId' },
  { by: 'api', title: 'Top APIs', header: 'API', filter: 'apiId' },
  { by: 'route', title: 'Top routes', header: 'Route', filter: 'routeId' },
  {
    by: 'plan',
    title: 'Usage per plan',
    header: 'Plan',
    filter: 'planId',
    description: 'Calls with a subscription, by the plan they were made under.',
  },
];

function TopList({
  spec,
  view,
  total,
  limit = 10,
}: {
  spec: TopSpec;
  view: AnalyticsView;
  total: number | undefined;
  limit?: number;
}) {
  const top = useTop(view.query, spec.by, limit);
  return (
    <Section
      id={`top-${spec.by}`}
      title={spec.title}
      description={spec.description}
      actions={
        <CsvButton
          url={csvUrl(adminUrl('/analytics/top'), { ...view.query, by: spec.by, limit })}
          filename={`top-${spec.by}.csv`}
          what={spec.title.toLowerCase()}
        />
      }
    >
      <QueryView query={top} loadingLabel={`Loading ${spec.title.toLowerCase()}…`}>
        {(list) =>
          list.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              None in this range: calls without {spec.header === 'Route' ? 'a matched route' : 'a consumer'}{' '}
              are not ranked here.
            </Text>
          ) : (
            <BreakdownTable
              caption={spec.title}
              nameHeader={spec.header}
              items={list.items}
              {...(total !== undefined && { total })}
              href={(item) => requestLogHref(view.range, { ...view.filters, [spec.filter]: item.id })}
            />
          )
        }
      </QueryView>
    </Section>
  );
}

export function StatusCodes({ view, total }: { view: AnalyticsView; total: number | undefined }) {
  return (
    <TopList
      spec={{ by: 'status', title: 'Status codes', header: 'Status', filter: 'status' }}
      view={view}
      total={total}
      limit={20}
    />
  );
}

export function TopLists({ view, total }: { view: AnalyticsView; total: number | undefined }) {
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl" verticalSpacing="xl">
      {lists.map((spec) => (
        <TopList key={spec.by} spec={spec} view={view} total={total} />
      ))}
    </SimpleGrid>
  );
}
