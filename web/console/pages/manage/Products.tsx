// Products with their plans: what each plan allows and how developers get on it, with the ways
// to create, change and delete both.
import { Anchor, Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { DataTable } from '../../../ui/DataTable.tsx';
import { formatLimit } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { pricingParts } from '../../../ui/pricing.ts';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { api, type Plan, type Product, useAdminList, useNames } from '../../api.ts';
import { product as consoleName } from '../../session.tsx';
import { LoadMore } from '../lists.tsx';
import { forget, paths } from './resources.ts';

export function Products() {
  usePageTitle('Products and plans', consoleName);
  const products = useAdminList<Product>('/products');
  const plans = useAdminList<Plan>('/plans');
  const apiName = useNames('/apis');
  const client = useQueryClient();
  const create = (
    <Button component={Link} to="/products/new">
      Create product
    </Button>
  );
  return (
    <>
      <PageHeader
        title="Products and plans"
        description="Products bundle APIs; plans set the limits and the approval developers subscribe under."
        actions={create}
      />
      <QueryView query={products} loadingLabel="Loading products…">
        {(items) =>
          items.length === 0 ? (
            <Empty
              title="No products yet"
              description="Create one to offer APIs to developers, then give it plans."
              action={create}
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
                    <Group justify="space-between" gap="sm">
                      <Title order={2} fz="lg" id={`product-${item.id}`}>
                        {item.name}
                      </Title>
                      <Group gap="xs">
                        <Button
                          size="xs"
                          component={Link}
                          to={`/products/${segment(item.id)}/plans/new`}
                          aria-label={`Add plan to ${item.name}`}
                        >
                          Add plan
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          component={Link}
                          to={`/products/${segment(item.id)}`}
                          aria-label={`Edit product ${item.name}`}
                        >
                          Edit
                        </Button>
                        <ConfirmButton
                          title={`Delete ${item.name}?`}
                          message="Its plans go with it. A product whose plans have subscriptions cannot be deleted."
                          confirmLabel="Delete product"
                          ariaLabel={`Delete product ${item.name}`}
                          onConfirm={async () => {
                            await api.delete(paths.product(item.id));
                            await forget(client, paths.product(item.id));
                          }}
                        >
                          Delete
                        </ConfirmButton>
                      </Group>
                    </Group>
                    {item.description && <Text size="sm">{item.description}</Text>}
                    <Text size="sm">
                      APIs: {item.apiIds.length === 0 ? 'none' : item.apiIds.map(apiName).join(', ')}
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
      minWidth={820}
      items={plans}
      columns={[
        {
          header: 'Plan',
          cell: (p) => (
            <Anchor
              component={Link}
              to={`/plans/${segment(p.id)}`}
              aria-label={`${p.default ? `${p.name} (default)` : p.name}, plan of ${product.name}`}
            >
              {p.default ? `${p.name} (default)` : p.name}
            </Anchor>
          ),
        },
        { header: 'State', cell: (p) => <StateBadge state={p.state} /> },
        { header: 'Visibility', cell: (p) => p.visibility },
        { header: 'Approval', cell: (p) => p.approval },
        // The monthly fee, or Free; the rest of the pricing is on the plan's page.
        { header: 'Price', cell: (p) => pricingParts(p.pricing)[0] },
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
