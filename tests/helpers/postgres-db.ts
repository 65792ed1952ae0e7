import pg from 'pg';
import type { TestDatabase } from './postgres.js';

/** Runs `sql` on a test database with a connection of its own (never the tool's code). */
export async function pgQuery<R extends pg.QueryResultRow = Record<string, unknown>>(
  db: TestDatabase,
  sql: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Rows per table of the tool's schema. */
export async function pgCounts(db: TestDatabase): Promise<Record<string, number>> {
  const tables = ['runs', 'collector_runs', 'observations', 'suspect_observations', 'suspect_resolutions'];
  const [row] = await pgQuery(db, `SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ')}`);
  return row as Record<string, number>;
}

/** Every value of every table of the database, as text: to look for what must never be stored (a password). */
export async function pgAllText(db: TestDatabase): Promise<string> {
  const tables = await pgQuery<{ table_name: string }>(
    db,
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    parts.push(JSON.stringify(await pgQuery(db, `SELECT * FROM ${table_name}`)));
  }
  return parts.join('\n');
}
