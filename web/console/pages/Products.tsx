// Products with their plans: what each plan allows and how developers get on it.
import { Card, Code, List, Stack, Text, Title } from '@mantine/core';
import { DataTable } from '../../ui/DataTable.tsx';
import { formatLimit } from '../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../ui/layout.tsx';
import { StateBadge } from '../../ui/StateBadge.tsx';
import { Empty, QueryView } from '../../ui/states.tsx';
import { type Plan, type Product, useAdminList, useNames } from '../api.ts';
import { product as consoleName } from '../session.tsx';
import { LoadMore } from './lists.tsx';

export function Products() {
  usePageTitle('Products and plans', consoleName);
  const products = useAdminList<Product>('/products');
  const plans = useAdminList<Plan>('/plans');
  const apiName = useNames('/apis');
  return (
    <>
      <PageHeader
        title="Products and plans"
        description="Products bundle APIs; plans set the limits and the approval developers subscribe under."
      />
      <QueryView query={products} loadingLabel="Loading products…">
        {(items) =>
          items.length === 0 ? (
            <Empty
              title="No products yet"
              description="Create one with POST /admin/v1/products, then its plans with POST /admin/v1/plans."
            />
          ) : (
            <Stack gap="lg">
              {items.map((item) => (
                <Card
                  key={item.id}
                  withBorder
                  padding="lg"
                  component="section"
                  aria-labelledby={`product-${item.id}`}
                >
                  <Stack gap="xs">
                    <Title order={2} fz="lg" id={`product-${item.id}`}>
                      {item.name}
                    </Title>
                    {item.description && <Text size="sm">{item.description}</Text>}
                    <Text size="sm">
                      APIs: {item.apiIds.length === 0 ? 'none' : item.apiIds.map(apiName).join(', ')} · id{' '}
                      <Code>{item.id}</Code>
                    </Text>
                    <QueryView query={plans} loadingLabel="Loading plans…">
                      {(all) => (
                        <PlanTable product={item} plans={all.filter((p) => p.productId === item.id)} />
                      )}
                    </QueryView>
                  </Stack>
                </Card>
              ))}
              <LoadMore list={products} />
            </Stack>
          )
        }
      </QueryView>
    </>
  );
}

function PlanTable({ product, plans }: { product: Product; plans: Plan[] }) {
  if (plans.length === 0)
    return <Text size="sm">No plans yet: developers cannot subscribe to {product.name}.</Text>;
  return (
    <DataTable
      caption={`Plans of ${product.name}`}
      minWidth={760}
      items={plans}
      columns={[
        { header: 'Plan', cell: (p) => (p.default ? `${p.name} (default)` : p.name) },
        { header: 'State', cell: (p) => <StateBadge state={p.state} /> },
        { header: 'Visibility', cell: (p) => p.visibility },
        { header: 'Approval', cell: (p) => p.approval },
        {
          header: 'Limits',
          cell: (p) =>
            p.limits.length === 0 ? (
              'none'
            ) : (
              <List size="sm" spacing={0}>
                {p.limits.map((limit) => (
                  <List.Item key={`${limit.metric}-${limit.period}-${limit.per ?? ''}`}>
                    {formatLimit(limit)}
                  </List.Item>
                ))}
              </List>
            ),
        },
        {
          header: 'Disabled metrics',
          cell: (p) => (p.disabledMetrics.length === 0 ? '—' : p.disabledMetrics.join(', ')),
        },
      ]}
    />
  );
}
