import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** CLI, lock and fault-injection tests run the compiled tool in child processes: build it once per test run. */
export default function setup(): void {
  const root = resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [resolve(root, 'scripts/bundle-bin.mjs')], { cwd: root, stdio: 'inherit' });
}
