// drizzle asks PGlite, on every query, to return dates, intervals and a few array types as the
// text the database sent (drizzle maps them itself). PGlite 0.5 honours that by copying its whole
// table of parsers, about 320 entries once array types are known, into a new object per query:
// about 85 µs, half the cost of `select 1`, and garbage for the control process to collect while
// it stores usage every second. The same parsers are installed once in the client's table
// instead, and queries asking for just those skip the copy.
import { type ParserOptions, type PGlite, types } from '@electric-sql/pglite';

type QueryOptions = { parsers?: ParserOptions } & Record<string, unknown>;
type Query = (text: string, params?: unknown[], options?: QueryOptions) => Promise<unknown>;

const asText = (value: string): string => value;

/** What drizzle-orm/pglite asks for on every query (its session.js): these types as text. */
export const drizzleParsers: ParserOptions = {
  [types.TIMESTAMP]: asText,
  [types.TIMESTAMPTZ]: asText,
  [types.INTERVAL]: asText,
  [types.DATE]: asText,
  1231: asText, // numeric[]
  1115: asText, // timestamp[]
  1185: asText, // timestamptz[]
  1187: asText, // interval[]
  1182: asText, // date[]
};

/**
 * Puts drizzle's parsers in the client's own table (after it has added its array types, which
 * would replace them) and drops a query's `parsers` when it asks for nothing else. A PGlite
 * without that table is left as it is: slower, still right.
 */
export function installDrizzleParsers(client: PGlite): void {
  const table = (client as unknown as { parsers?: unknown }).parsers;
  if (typeof table !== 'object' || table === null) return;
  Object.assign(table, drizzleParsers);
  skipInstalled(client as unknown as { query: Query });
  const transaction = client.transaction.bind(client);
  client.transaction = (callback) =>
    transaction((tx) => {
      skipInstalled(tx as unknown as { query: Query });
      return callback(tx);
    });
}

function skipInstalled(target: { query: Query }): void {
  const query = target.query.bind(target);
  target.query = (text, params, options) =>
    query(text, params, options?.parsers && installed(options.parsers) ? withoutParsers(options) : options);
}

function installed(parsers: ParserOptions): boolean {
  for (const type in parsers) {
    if (drizzleParsers[Number(type)] === undefined) return false;
  }
  return true;
}

function withoutParsers({ parsers: _, ...rest }: QueryOptions): QueryOptions {
  return rest;
}
