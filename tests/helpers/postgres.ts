import pg from 'pg';
import { inject } from 'vitest';

/**
 * A database of its own for one test file, in the run's throw-away cluster (tests/global-setup.ts): made with an
 * ICU locale, so the server's default collation is not byte order and a query that forgets `COLLATE "C"` shows.
 * Empty (skip) when no PostgreSQL server is installed; with CI=true the run has failed before that.
 */
export const POSTGRES_ADMIN_URL: string = inject('postgresAdminUrl');
export const hasPostgres = POSTGRES_ADMIN_URL !== '';

let made = 0;

export interface TestDatabase {
  /** `postgres://admin:…@127.0.0.1:PORT/NAME`. */
  url: string;
  name: string;
  password: string;
  /** The URL without its password (as PGPASSWORD would give it). */
  urlWithoutPassword: string;
}

/** Runs `sql` as the cluster's superuser, in `database` (default `postgres`). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
  database = 'postgres',
): Promise<R[]> {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** A new, empty database named after `label` (a-z, 0-9, _). */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `am_${label.replace(/[^a-z0-9_]/g, '_')}_${process.pid}_${++made}`;
  try {
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
  } catch {
    // A server before 15, or built without ICU: its default collation, then.
    await adminQuery(`CREATE DATABASE ${name}`);
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const password = decodeURIComponent(url.password);
  const bare = new URL(url);
  bare.password = '';
  return { url: url.toString(), name, password, urlWithoutPassword: bare.toString() };
}
