// The console's management pages, as routes under the signed-in shell (see ../../main.tsx).
import type { RouteObject } from 'react-router';
import { AccountPage } from './AccountPage.tsx';
import { Accounts } from './Accounts.tsx';
import { ApiDocumentation } from './ApiDocumentation.tsx';
import { ApiPage, ApiSettings } from './ApiPage.tsx';
import { ApiRoutes } from './ApiRoutes.tsx';
import { Apis } from './Apis.tsx';
import { ApplicationPage } from './ApplicationPage.tsx';
import { Applications } from './Applications.tsx';
import { ImportOpenApi } from './ImportOpenApi.tsx';
import { NewApi } from './NewApi.tsx';
import { NewPlan, PlanPage } from './PlanEditor.tsx';
import { ApiPolicies, GlobalPolicies } from './Policies.tsx';
import { NewProduct, ProductPage } from './ProductEditor.tsx';
import { Products } from './Products.tsx';
import { NewUpstream, UpstreamPage } from './UpstreamEditor.tsx';
import { Upstreams } from './Upstreams.tsx';

export const manageRoutes: RouteObject[] = [
  { path: 'upstreams', Component: Upstreams },
  { path: 'upstreams/new', Component: NewUpstream },
  { path: 'upstreams/:upstreamId', Component: UpstreamPage },
  { path: 'apis', Component: Apis },
  { path: 'apis/new', Component: NewApi },
  { path: 'apis/import', Component: ImportOpenApi },
  {
    path: 'apis/:apiId',
    Component: ApiPage,
    children: [
      { index: true, Component: ApiSettings },
      { path: 'routes', Component: ApiRoutes },
      { path: 'policies', Component: ApiPolicies },
      { path: 'documentation', Component: ApiDocumentation },
    ],
  },
  { path: 'policies', Component: GlobalPolicies },
  { path: 'products', Component: Products },
  { path: 'products/new', Component: NewProduct },
  { path: 'products/:productId', Component: ProductPage },
  { path: 'products/:productId/plans/new', Component: NewPlan },
  { path: 'plans/:planId', Component: PlanPage },
  { path: 'accounts', Component: Accounts },
  { path: 'accounts/:accountId', Component: AccountPage },
  { path: 'applications', Component: Applications },
  { path: 'applications/:applicationId', Component: ApplicationPage },
];
