// An API's settings as form inputs, shared by creating, importing and editing an API: name,
// version, description, base path, hosts, upstream, keyless, visibility and lifecycle.
import {
  Alert,
  Anchor,
  NativeSelect,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { Link } from 'react-router';
import { useAdminList } from '../../api.ts';
import type { ApiDetail, Upstream } from './resources.ts';

export interface ApiFields {
  name: string;
  version: string;
  description: string;
  basePath: string;
  hosts: string[];
  upstreamId: string;
  keyless: boolean;
  stripBasePath: boolean;
  visibility: string;
  partnerTiers: string[];
  lifecycle: string;
}

export const newApiFields: ApiFields = {
  name: '',
  version: '',
  description: '',
  basePath: '',
  hosts: [],
  upstreamId: '',
  keyless: false,
  stripBasePath: true,
  visibility: 'public',
  partnerTiers: [],
  lifecycle: 'published',
};

export const apiFieldsOf = (a: ApiDetail): ApiFields => ({
  name: a.name,
  version: a.version,
  description: a.description,
  basePath: a.basePath,
  hosts: a.hosts,
  upstreamId: a.upstreamId,
  keyless: a.keyless,
  stripBasePath: a.stripBasePath,
  visibility: a.visibility,
  partnerTiers: a.partnerTiers ?? [],
  lifecycle: a.lifecycle,
});

/** The body for POST or PATCH /apis. */
export const apiBodyOf = (f: ApiFields) => ({ ...f, name: f.name.trim(), basePath: f.basePath.trim() });

const visibilities = [
  { value: 'public', label: 'Public: everyone' },
  { value: 'partner', label: 'Partner: approved accounts' },
  { value: 'internal', label: 'Internal: admins only' },
];

export function ApiFieldsInputs({
  value,
  onChange,
}: {
  value: ApiFields;
  onChange: (value: ApiFields) => void;
}) {
  const upstreams = useAdminList<Upstream>('/upstreams');
  const set = <K extends keyof ApiFields>(key: K, v: ApiFields[K]) => onChange({ ...value, [key]: v });
  const none = upstreams.data !== undefined && upstreams.data.length === 0;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Name"
          description="Letters, digits, “.”, “_” and “-”; unique among APIs."
          required
          value={value.name}
          onChange={(e) => set('name', e.currentTarget.value)}
        />
        <TextInput
          label="Version"
          description="The label the portal shows, such as v1."
          maxLength={50}
          value={value.version}
          onChange={(e) => set('version', e.currentTarget.value)}
        />
      </SimpleGrid>
      <Textarea
        label="Description"
        description="One or two sentences for the catalog; up to 2000 characters."
        autosize
        minRows={2}
        maxLength={2000}
        value={value.description}
        onChange={(e) => set('description', e.currentTarget.value)}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Base path"
          description="Where the gateway serves the API, such as /weather/v1."
          placeholder="/weather/v1"
          required
          value={value.basePath}
          onChange={(e) => set('basePath', e.currentTarget.value)}
        />
        <TagsInput
          label="Hosts"
          description="Host names it answers on; none for any host. Press Enter after each."
          value={value.hosts}
          onChange={(hosts) => set('hosts', hosts)}
        />
      </SimpleGrid>
      {none ? (
        <Alert color="yellow" title="No upstream yet" role="status">
          An API sends its calls to an upstream.{' '}
          <Anchor component={Link} to="/upstreams/new" underline="always">
            Create an upstream
          </Anchor>{' '}
          first.
        </Alert>
      ) : (
        <NativeSelect
          label="Upstream"
          description="The service the API's calls go to."
          required
          data={[
            {
              value: '',
              label: upstreams.isPending ? 'Loading upstreams…' : 'Choose an upstream',
              disabled: true,
            },
            ...(upstreams.data ?? []).map((u) => ({ value: u.id, label: u.name })),
          ]}
          value={value.upstreamId}
          onChange={(e) => set('upstreamId', e.currentTarget.value)}
        />
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          label="Visibility"
          description="Who sees the API in the developer portal."
          data={visibilities}
          value={value.visibility}
          onChange={(e) => set('visibility', e.currentTarget.value)}
        />
        <NativeSelect
          label="Lifecycle"
          description="The portal lists published and deprecated APIs."
          data={['draft', 'published', 'deprecated', 'retired']}
          value={value.lifecycle}
          onChange={(e) => set('lifecycle', e.currentTarget.value)}
        />
      </SimpleGrid>
      {value.visibility === 'partner' && (
        <TagsInput
          label="Partner tiers"
          description="Only approved accounts in these trust tiers see it; none for every approved account. Press Enter after each."
          value={value.partnerTiers}
          onChange={(tiers) => set('partnerTiers', tiers)}
        />
      )}
      <Switch
        label="Keyless"
        description="Calls need no key and no subscription."
        checked={value.keyless}
        onChange={(e) => set('keyless', e.currentTarget.checked)}
      />
      <Switch
        label="Strip the base path"
        description="Send the upstream the path below the base path."
        checked={value.stripBasePath}
        onChange={(e) => set('stripBasePath', e.currentTarget.checked)}
      />
    </Stack>
  );
}
