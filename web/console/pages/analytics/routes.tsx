// The console's analytics pages, as routes under the signed-in shell (see ../../main.tsx).
import type { RouteObject } from 'react-router';
import { Dashboard } from './Dashboard.tsx';
import { RequestDetail } from './RequestDetail.tsx';
import { RequestLog } from './RequestLog.tsx';

export const analyticsRoutes: RouteObject[] = [
  { path: 'analytics', Component: Dashboard },
  { path: 'analytics/requests', Component: RequestLog },
  { path: 'analytics/requests/:requestId', Component: RequestDetail },
];
