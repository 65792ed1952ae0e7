import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { postgresBinaries, startTestCluster } from './helpers/postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throw-away PostgreSQL cluster's superuser URL; empty when no server is installed (tests/helpers/postgres.ts). */
    postgresAdminUrl: string;
  }
}

/**
 * Once per test run: CLI, lock and fault-injection tests run the compiled tool in child processes, so it is built;
 * and a throw-away PostgreSQL cluster is started for the tests of the PostgreSQL store (each file makes its own
 * database in it). Without Debian's postgresql they are skipped with a notice, but not with CI=true.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const root = resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [resolve(root, 'scripts/bundle-bin.mjs')], { cwd: root, stdio: 'inherit' });

  const bin = postgresBinaries();
  if (bin === undefined) {
    if (process.env.CI === 'true') {
      throw new Error('CI=true and no PostgreSQL server is installed: apt-get install postgresql (see .ci/run)');
    }
    process.stderr.write(
      '\nNOTICE: the PostgreSQL store tests are SKIPPED: no server binaries (apt-get install postgresql, or set PG_BIN)\n\n',
    );
    project.provide('postgresAdminUrl', '');
    return () => undefined;
  }
  const cluster = await startTestCluster(bin);
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
