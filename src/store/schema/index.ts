// The whole schema, for drizzle-kit and for typed queries.
export * from './accounts.ts';
export * from './admin-tokens.ts';
export * from './admin-users.ts';
export * from './api-keys.ts';
export * from './apis.ts';
export * from './applications.ts';
export * from './audit-events.ts';
export * from './config-revision.ts';
export * from './credentials.ts';
export * from './end-users.ts';
export * from './oauth.ts';
export * from './plans.ts';
export * from './policies.ts';
export * from './products.ts';
export * from './routes.ts';
export * from './subscriptions.ts';
export * from './upstreams.ts';
