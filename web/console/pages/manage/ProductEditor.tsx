// Create or change a product: its name, description and the APIs it bundles.
import { MultiSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { FormError, QueryView } from '../../../ui/states.tsx';
import { type Api, api, type Product, useAdminList } from '../../api.ts';
import { product as consoleName } from '../../session.tsx';
import { Crumbs, FormActions } from './parts.tsx';
import { forget, paths, refreshAll, useAdminItem } from './resources.ts';

export function NewProduct() {
  usePageTitle('Create a product', consoleName);
  return (
    <>
      <PageHeader
        before={<Crumbs list="Products and plans" to="/products" current="New product" />}
        title="Create a product"
        description="A bundle of APIs that developers subscribe to through its plans."
      />
      <ProductForm />
    </>
  );
}

export function ProductPage() {
  const { productId = '' } = useParams();
  const path = paths.product(productId);
  const item = useAdminItem<Product>(path);
  const client = useQueryClient();
  const navigate = useNavigate();
  usePageTitle(item.data?.name ?? 'Product', consoleName);
  return (
    <QueryView query={item} loadingLabel="Loading the product…">
      {(p) => (
        <>
          <PageHeader
            before={<Crumbs list="Products and plans" to="/products" current={p.name} />}
            title={p.name}
            actions={
              <ConfirmButton
                title={`Delete ${p.name}?`}
                message="Its plans go with it. A product whose plans have subscriptions cannot be deleted."
                confirmLabel="Delete product"
                onConfirm={async () => {
                  await api.delete(path);
                  await forget(client, path);
                  navigate('/products');
                }}
              >
                Delete product
              </ConfirmButton>
            }
          />
          <ProductForm key={p.id} product={p} />
        </>
      )}
    </QueryView>
  );
}

function ProductForm({ product }: { product?: Product }) {
  const apis = useAdminList<Api>('/apis');
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState(product?.name ?? '');
  const [description, setDescription] = useState(product?.description ?? '');
  const [apiIds, setApiIds] = useState<string[]>(product?.apiIds ?? []);
  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), description, apiIds };
      return product ? api.patch(paths.product(product.id), body) : api.post('/products', body);
    },
    onSuccess: async () => {
      await refreshAll(client);
      navigate('/products');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="lg" maw={760}>
        <TextInput
          label="Name"
          description="Letters, digits, “.”, “_” and “-”; unique among products."
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <MultiSelect
          label="APIs"
          description="What a subscription to one of its plans lets an application call."
          placeholder={apiIds.length === 0 ? 'Choose APIs' : undefined}
          searchable
          nothingFoundMessage="No API has that name"
          data={(apis.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          value={apiIds}
          onChange={setApiIds}
        />
        <FormError error={save.error} />
        <FormActions
          submit={product ? 'Save product' : 'Create product'}
          busy={save.isPending}
          cancelTo="/products"
        />
      </Stack>
    </form>
  );
}
