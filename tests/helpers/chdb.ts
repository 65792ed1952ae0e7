/**
 * chdb (ClickHouse in process, npm) for the tests that need a real ClickHouse engine. It is installed for tests
 * only (`npm run test:setup`, which `.ci/run` calls after `npm ci`), never as a dependency a user's `npm ci`
 * pulls: its engine is about 550 MB. So it is loaded by a name TypeScript does not resolve, typed here by the
 * part of its API the stand-in uses (the package's index.d.ts).
 */

export interface ChdbResult {
  text(): string;
}

export interface ChdbSession {
  query(sql: string, format?: string): string;
  queryAsync(sql: string, options?: { format?: string }): Promise<ChdbResult>;
  queryBindAsync(sql: string, params: Record<string, string>, options?: { format?: string }): Promise<ChdbResult>;
  close(): void;
}

export interface ChdbModule {
  Session: new (path?: string, options?: { connectionArgs?: readonly string[] }) => ChdbSession;
  version(): { chdb: string; libchdb: string };
}

/** How to install it, said wherever it is missing. */
export const CHDB_SETUP = 'npm run test:setup (npm install --no-save chdb)';

let loaded: Promise<ChdbModule | undefined> | undefined;

/** The chdb module, or undefined when it is not installed. */
export function loadChdb(): Promise<ChdbModule | undefined> {
  const name: string = 'chdb';
  loaded ??= import(name).then(
    (m: ChdbModule & { default?: ChdbModule }) => (typeof m.Session === 'function' ? m : m.default),
    () => undefined,
  );
  return loaded;
}

/**
 * Whether a test file that needs the engine can run: true when chdb is installed. Without it the file's tests
 * are skipped with a notice on the console, except under CI=true, where the engine is mandatory and this
 * throws, failing the file.
 */
export async function engineAvailable(file: string): Promise<boolean> {
  if (await loadChdb()) return true;
  const message = `${file}: chdb (ClickHouse in process) is not installed; run ${CHDB_SETUP}`;
  if (process.env.CI === 'true') throw new Error(`${message}. CI=true: the tests against a real ClickHouse engine are mandatory`);
  console.warn(`SKIPPED ${message} to run its tests against a real ClickHouse engine`);
  return false;
}
