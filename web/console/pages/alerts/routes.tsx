// The routes of the console's Alerts pages, under /alerts.
import type { RouteObject } from 'react-router';
import { EditAlert, NewAlert } from './AlertEditor.tsx';
import { Alerts } from './Alerts.tsx';

export const alertRoutes: RouteObject[] = [
  { path: 'alerts', Component: Alerts },
  { path: 'alerts/new', Component: NewAlert },
  { path: 'alerts/:alertId', Component: EditAlert },
];
