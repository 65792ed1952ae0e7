import { isAbsolute, resolve } from 'node:path';
import type { Env } from '../core/collector.js';
import { UsageError } from '../core/errors.js';

/** Where the database is: a SQLite file (the default), or a PostgreSQL database named by a URL. */
export type StoreLocation = SqliteLocation | PostgresLocation;

export interface SqliteLocation {
  kind: 'sqlite';
  /** Absolute path of the file. */
  path: string;
  /** As messages name it: the path. */
  name: string;
}

export interface PostgresLocation {
  kind: 'postgres';
  /** As messages, `status` and logs name it: `postgres://host:port/dbname`, without the user, the password or options. */
  name: string;
  /** The URL without its password (pg parses host, port, database, user and options such as sslmode from it). */
  url: string;
  user: string | undefined;
  database: string;
  /** From the URL, else PGPASSWORD; a secret: never printed, logged or stored. */
  password: string | undefined;
}

/** The variable that names the database when `--db` does not (for cron and systemd). */
export const DB_VARIABLE = 'ADOPTION_METRICS_DB';
export const DEFAULT_DB = 'output/adoption.sqlite';

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const POSTGRES_SCHEME = /^postgres(ql)?:\/\//i;

/**
 * The database a command uses: `--db` (`flag`'s value), else ADOPTION_METRICS_DB, else output/adoption.sqlite. A
 * `postgres://` or `postgresql://` URL is a PostgreSQL database, anything else a SQLite file (relative to `cwd`).
 */
export function storeLocation(given: string | undefined, context: { cwd: string; env: Env; flag?: string }): StoreLocation {
  const fromEnv = context.env[DB_VARIABLE];
  if (given === undefined && fromEnv !== undefined && fromEnv.trim() === '') {
    throw new UsageError(`${DB_VARIABLE} is set but empty; unset it for the default ${DEFAULT_DB}, or name a database`);
  }
  const value = given ?? fromEnv ?? DEFAULT_DB;
  const said = given === undefined && fromEnv !== undefined ? DB_VARIABLE : (context.flag ?? '--db');
  if (POSTGRES_SCHEME.test(value)) return postgresLocation(value, said, context.env);
  if (URL_SCHEME.test(value)) {
    throw new UsageError(
      `${said} ${withoutPassword(value)} is not a database adoption-metrics can use; pass a SQLite file or a postgres://user@host:5432/dbname URL`,
    );
  }
  const path = isAbsolute(value) ? value : resolve(context.cwd, value);
  return { kind: 'sqlite', path, name: path };
}

function postgresLocation(value: string, said: string, env: Env): PostgresLocation {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${said} ${withoutPassword(value)} is not a valid URL; use postgres://user@host:5432/dbname`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw new UsageError(`${said} ${withoutPassword(value)} names no database; use postgres://user@host:5432/dbname`);
  }
  if (url.hostname === '') throw new UsageError(`${said} ${withoutPassword(value)} names no host; use postgres://user@host:5432/dbname`);
  const password = (url.password ? decodeURIComponent(url.password) : undefined) ?? url.searchParams.get('password') ?? env.PGPASSWORD;
  url.password = '';
  url.searchParams.delete('password');
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const name = `${url.protocol}//${url.host}/${encodeURIComponent(database)}`;
  return { kind: 'postgres', name, url: url.toString(), user, database, password: password || undefined };
}

/** A URL as it may be said: without its user part (which may hold a password) nor a password option. */
function withoutPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1').replace(/([?&]password=)[^&#]*/i, '$1***');
}

/** The secrets a location holds (a PostgreSQL password), for the redactors of everything said. */
export function locationSecrets(location: StoreLocation): string[] {
  return location.kind === 'postgres' && location.password !== undefined ? [location.password] : [];
}
