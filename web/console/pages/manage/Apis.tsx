// APIs: what the gateway serves, with how the portal shows each (version, visibility, lifecycle).
import { Anchor, Badge, Button, Code } from '@mantine/core';
import { Link } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { StateBadge } from '../../../ui/StateBadge.tsx';
import { useAdminList, useNames } from '../../api.ts';
import { ListPage } from '../lists.tsx';
import { type ApiDetail, yesNo } from './resources.ts';

export function Apis() {
  const list = useAdminList<ApiDetail>('/apis');
  const upstreamName = useNames('/upstreams');
  const actions = (
    <>
      <Button component={Link} to="/apis/import" variant="default">
        Import OpenAPI file
      </Button>
      <Button component={Link} to="/apis/new">
        Create API
      </Button>
    </>
  );
  return (
    <ListPage
      title="APIs"
      description="What the gateway serves, and what the developer portal shows of it."
      actions={actions}
      list={list}
      empty={{
        title: 'No APIs yet',
        description: 'Create one, or import an OpenAPI file to make an API and its routes in one go.',
        action: actions,
      }}
      columns={[
        {
          header: 'Name',
          cell: (a) => (
            <Anchor component={Link} to={`/apis/${segment(a.id)}`}>
              {a.name}
            </Anchor>
          ),
        },
        { header: 'Version', cell: (a) => a.version || '—' },
        { header: 'Base path', cell: (a) => <Code>{a.basePath}</Code> },
        { header: 'Upstream', cell: (a) => upstreamName(a.upstreamId) },
        {
          header: 'Visibility',
          cell: (a) => (
            <Badge variant="outline" color="gray" radius="sm" tt="none">
              {a.visibility}
            </Badge>
          ),
        },
        { header: 'Lifecycle', cell: (a) => <StateBadge state={a.lifecycle} /> },
        { header: 'Keyless', cell: (a) => yesNo(a.keyless) },
      ]}
    />
  );
}
