// The provider's guides: one link each, in the provider's order.
import { Anchor, Card, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatDate } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { product } from '../../session.tsx';
import { pagePath, usePages } from './content.ts';

export function Guides() {
  usePageTitle('Guides', product);
  const guides = usePages('guide');
  return (
    <>
      <PageHeader title="Guides" description="How to get started and get the most out of the APIs." />
      <QueryView query={guides} loadingLabel="Loading guides…">
        {(items) =>
          items.length === 0 ? (
            <Empty
              title="No guides yet"
              description="Browse the APIs in the meantime, or ask us on the Contact page."
            />
          ) : (
            <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
              {items.map((guide) => (
                <Card key={guide.slug} withBorder padding="md" component="li">
                  <Anchor component={Link} to={pagePath(guide)} fw={600} size="lg">
                    {guide.title}
                  </Anchor>
                  <Text size="sm" c="dimmed">
                    Updated {formatDate(guide.updatedAt)}
                  </Text>
                </Card>
              ))}
            </Stack>
          )
        }
      </QueryView>
    </>
  );
}
