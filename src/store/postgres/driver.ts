import type pg from 'pg';
import { UsageError } from '../../core/errors.js';
import { type Driver, LockBusyError, type LockOptions, type Params, type RunLock } from '../driver.js';
import type { PostgresLocation } from '../location.js';
import type { OpenOptions } from '../open.js';
import { APPLICATION_ID, SCHEMA_VERSION } from '../schema-version.js';
import { StorageError } from '../storage-error.js';
import { Store } from '../store.js';
import { POSTGRES_DIALECT } from './dialect.js';
import { CONNECT_TIMEOUT_S, lockLost, postgresFailure, STATEMENT_TIMEOUT_S } from './errors.js';
import { acquireAdvisoryLock } from './run-lock.js';
import { MARK_VERSION, MIGRATIONS } from './schema.js';

/** The advisory lock's second key while a schema is migrated (the run lock's is 1). */
const MIGRATION_LOCK_KEY = 2;
/** PostgreSQL's int8 (counts, ids) as JS numbers: ids and counts stay far below 2^53. */
const INT8_OID = 20;
/** The oldest server the schema runs on (identity columns, jsonb functions, md5 in an index). */
const MIN_SERVER_VERSION = 120000;

/**
 * Opens the PostgreSQL store at `location`: connects within CONNECT_TIMEOUT_S, checks the database is ours (the
 * `adoption_metrics` marker) or empty, and a writer brings its schema up to date in one transaction. A reader's
 * session is read-only (default_transaction_read_only), so report, status and export cannot write.
 */
export async function openPostgresStore(location: PostgresLocation, options: OpenOptions = {}): Promise<Store> {
  return new Store(await PostgresDriver.open(location, options.readonly ?? false));
}

/** A PostgreSQL database through node-postgres: one connection for the store, one more for the run lock. */
export class PostgresDriver implements Driver {
  readonly kind = 'postgres';
  readonly dialect = POSTGRES_DIALECT;
  readonly name: string;
  /** Set when the connection broke while idle: said by the next statement. */
  private broken: Error | undefined;
  private readonly statements = new Map<string, { text: string; names: string[] }>();

  private constructor(
    private readonly client: pg.Client,
    private readonly location: PostgresLocation,
    private readonly readonly: boolean,
    readonly schemaVersion: number,
  ) {
    this.name = location.name;
  }

  static async open(location: PostgresLocation, readonly: boolean): Promise<PostgresDriver> {
    let client: pg.Client;
    try {
      client = await connect(location, readonly);
    } catch (err) {
      throw err instanceof UsageError ? err : postgresFailure(err, location, true);
    }
    try {
      const version = await checkDatabase(client, location, readonly);
      const driver = new PostgresDriver(
        client,
        location,
        readonly,
        readonly || version === SCHEMA_VERSION ? version : await migrate(client, location),
      );
      client.on('error', (err) => {
        driver.broken ??= err;
      });
      return driver;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err instanceof UsageError ? err : postgresFailure(err, location, true);
    }
  }

  /** `@name` parameters as PostgreSQL's `$n`, each name one number however often it appears. */
  private prepare(sql: string, params: Params): { text: string; values: Array<string | number | null> } {
    let statement = this.statements.get(sql);
    if (!statement) {
      const names: string[] = [];
      const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
        const index = names.indexOf(name);
        if (index >= 0) return `$${index + 1}`;
        names.push(name);
        return `$${names.length}`;
      });
      statement = { text, names };
      this.statements.set(sql, statement);
    }
    const values = statement.names.map((name) => {
      const value = params[name];
      if (value === undefined) throw new Error(`statement parameter @${name} has no value`);
      return value;
    });
    return { text: statement.text, values };
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: Params, rowMode?: 'array'): Promise<pg.QueryResult<R>> {
    if (this.broken) throw postgresFailure(this.broken, this.location);
    const { text, values } = this.prepare(sql, params);
    try {
      if (rowMode) return (await this.client.query({ text, values, rowMode })) as unknown as pg.QueryResult<R>;
      return await this.client.query<R>({ text, values });
    } catch (err) {
      throw postgresFailure(this.broken ?? err, this.location);
    }
  }

  async all<T>(sql: string, params: Params = {}): Promise<T[]> {
    return (await this.query<pg.QueryResultRow>(sql, params)).rows as T[];
  }

  async arrays<T extends unknown[]>(sql: string, params: Params = {}): Promise<T[]> {
    return (await this.query<pg.QueryResultRow>(sql, params, 'array')).rows as unknown as T[];
  }

  async run(sql: string, params: Params = {}): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }

  /** A cursor in a read-only, repeatable-read transaction: one snapshot, `size` rows per FETCH (each bounded by the statement timeout). */
  async *stream<T extends unknown[]>(sql: string, params: Params, size: number): AsyncGenerator<T[]> {
    await this.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', {});
    let done = false;
    try {
      await this.query(`DECLARE history NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const { rows } = await this.query<pg.QueryResultRow>(`FETCH ${Math.floor(size)} FROM history`, {}, 'array');
        if (rows.length > 0) yield rows as unknown as T[];
        if (rows.length < size) break;
      }
      done = true;
    } finally {
      // A cursor left open by a loop stopped early (or a failure) ends with its transaction.
      await this.query(done ? 'COMMIT' : 'ROLLBACK', {}).catch(() => undefined);
    }
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.within('BEGIN', work);
  }

  snapshot<T>(work: () => Promise<T>): Promise<T> {
    return this.within('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', work);
  }

  private async within<T>(begin: string, work: () => Promise<T>): Promise<T> {
    await this.query(begin, {});
    try {
      const result = await work();
      await this.query('COMMIT', {});
      return result;
    } catch (err) {
      // On a broken connection the server has rolled it back already.
      await this.query('ROLLBACK', {}).catch(() => undefined);
      throw err;
    }
  }

  /** The database's advisory lock, on a connection of its own (run-lock.ts). */
  async lockRuns(options: LockOptions): Promise<RunLock> {
    if (this.readonly) throw new Error('a read-only store takes no run lock');
    let client: pg.Client;
    try {
      client = await connect(this.location, false);
    } catch (err) {
      throw postgresFailure(err, this.location, true);
    }
    let lock: RunLock;
    try {
      lock = await acquireAdvisoryLock(client, this.name, options);
    } catch (err) {
      if (err instanceof LockBusyError) throw err;
      throw postgresFailure(err, this.location);
    }
    const location = this.location;
    return {
      path: lock.path,
      release: () => lock.release(),
      onLost(callback) {
        lock.onLost?.((err) => callback(lockLost(err, location)));
      },
    };
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/**
 * A connection with every wait bounded: CONNECT_TIMEOUT_S to connect and log in, STATEMENT_TIMEOUT_S per
 * statement on the server (and a little more on the client, for a server that went silent), a minute idle in a
 * transaction, and TCP keepalive so a vanished host is noticed. Fails with the node-postgres error.
 */
async function connect(location: PostgresLocation, readonly: boolean): Promise<pg.Client> {
  const { default: pgModule } = await import('pg');
  const url = new URL(location.url);
  const sslmode = url.searchParams.get('sslmode');
  for (const key of url.searchParams.keys()) {
    if (key !== 'sslmode') {
      throw new UsageError(
        `--db ${location.name}: the URL option ${key} is not supported; only sslmode is (disable, require, verify-full)`,
      );
    }
  }
  const ssl = sslOption(sslmode, location.name);
  const host = decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1');
  const client = new pgModule.Client({
    host,
    port: url.port ? Number(url.port) : 5432,
    database: location.database,
    ...(location.user === undefined ? {} : { user: location.user }),
    ...(location.password === undefined ? {} : { password: location.password }),
    ...(ssl === undefined ? {} : { ssl }),
    application_name: 'adoption-metrics',
    connectionTimeoutMillis: CONNECT_TIMEOUT_S * 1000,
    statement_timeout: STATEMENT_TIMEOUT_S * 1000,
    lock_timeout: STATEMENT_TIMEOUT_S * 1000,
    query_timeout: (STATEMENT_TIMEOUT_S + 15) * 1000,
    idle_in_transaction_session_timeout: 60_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // JIT compiling costs about a second per statement, and the planner's estimates for the row selections'
    // recursive walks are astronomical (it cannot know a walk stops after a few steps), so it would JIT every one.
    options: `-c jit=off${readonly ? ' -c default_transaction_read_only=on' : ''}`,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? Number : pgModule.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
    },
  });
  // An idle connection that breaks emits 'error'; unheard, it would end the process. The driver listens once open.
  const early = (err: Error) => void err;
  client.on('error', early);
  try {
    await client.connect();
  } catch (err) {
    // A login refused halfway leaves its socket open, which would keep the process alive.
    await client.end().catch(() => undefined);
    throw err;
  }
  client.removeListener('error', early);
  return client;
}

function sslOption(mode: string | null, name: string): pg.ClientConfig['ssl'] {
  if (mode === null || mode === 'disable') return undefined;
  // libpq's meanings: require encrypts without checking the certificate; verify-full checks it and the host.
  if (mode === 'require') return { rejectUnauthorized: false };
  if (mode === 'verify-full' || mode === 'verify-ca') return { rejectUnauthorized: true };
  throw new UsageError(`--db ${name}: sslmode=${mode} is not supported; use disable, require or verify-full`);
}

/**
 * The version of our schema the database holds (0 for an empty database); refuses a server too old, a database
 * of another program and one of a newer schema. A reader also refuses an empty database.
 */
async function checkDatabase(client: pg.Client, location: PostgresLocation, readonly: boolean): Promise<number> {
  const db = `database ${location.name}`;
  const server = Number((await client.query<{ v: string }>('SELECT current_setting($1) AS v', ['server_version_num'])).rows[0]!.v);
  if (server < MIN_SERVER_VERSION) {
    throw new StorageError(`${db} is on PostgreSQL ${Math.floor(server / 10000)}; adoption-metrics needs 12 or later`);
  }
  const state = await schemaState(client);
  if (state.schema === null) {
    throw new StorageError(`${db} has no schema to use (its search_path names none that exists); create one or fix the user's search_path`);
  }
  if (state.applicationId === undefined && state.relations > 0) {
    throw new StorageError(
      `${db} belongs to another program (schema ${state.schema} holds ${state.relations} table(s), none of them adoption-metrics'); pass --db with a database of its own`,
    );
  }
  if (state.applicationId !== undefined && state.applicationId !== APPLICATION_ID) {
    throw new StorageError(
      `${db} belongs to another program (its adoption_metrics table is not ours); pass --db with a database of its own`,
    );
  }
  if (state.version > SCHEMA_VERSION) {
    throw new UsageError(`${db} was written by a newer adoption-metrics (schema ${state.version}); upgrade the tool`);
  }
  if (readonly && state.applicationId === undefined) {
    throw new UsageError(`${db} is empty; run \`adoption-metrics collect --db ${location.name}\` first`);
  }
  return state.version;
}

interface SchemaState {
  /** The schema tables are made in (the first of the search_path that exists), or null. */
  schema: string | null;
  /** Tables, views and the like in it. */
  relations: number;
  /** From our marker table, undefined without one. */
  applicationId: number | undefined;
  version: number;
}

async function schemaState(client: pg.Client): Promise<SchemaState> {
  const { rows } = await client.query<{ schema: string | null; relations: number; marked: boolean }>(
    `SELECT current_schema() AS schema,
            (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'p', 'f')) AS relations,
            to_regclass(format('%I.adoption_metrics', current_schema())) IS NOT NULL AS marked`,
  );
  const { schema, relations, marked } = rows[0]!;
  if (!marked) return { schema, relations: Number(relations), applicationId: undefined, version: 0 };
  const meta = await client.query<{ application_id: number; schema_version: number }>(
    'SELECT application_id, schema_version FROM adoption_metrics',
  );
  const row = meta.rows[0];
  return { schema, relations: Number(relations), applicationId: row?.application_id ?? -1, version: row?.schema_version ?? 0 };
}

/**
 * Brings an older database up to SCHEMA_VERSION (one already there is not locked or touched) in one transaction, under a transaction-level advisory lock so two
 * runs starting at once migrate it once (the second reads the version again after the first committed). A
 * failure leaves the database as it was. Returns the version reached.
 */
export async function migrate(client: pg.Client, location: PostgresLocation): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [APPLICATION_ID, MIGRATION_LOCK_KEY]);
    const state = await schemaState(client);
    if (state.applicationId !== undefined && state.applicationId !== APPLICATION_ID) {
      throw new StorageError(`database ${location.name} belongs to another program; pass --db with a database of its own`);
    }
    if (state.version > SCHEMA_VERSION) {
      throw new UsageError(`database ${location.name} was written by a newer adoption-metrics (schema ${state.version}); upgrade the tool`);
    }
    for (const { version, sql } of MIGRATIONS) {
      if (version > state.version) await client.query(sql);
    }
    const reached = SCHEMA_VERSION;
    if (reached !== state.version) await client.query(MARK_VERSION, [reached]);
    await client.query('COMMIT');
    return reached;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
