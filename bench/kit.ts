/** What every benchmark part shares: the result lines with their verdicts, and running the CLI as cron does. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface Result {
  name: string;
  value: string;
  target?: string;
  pass?: boolean;
}

export const results: Result[] = [];

export const record = (r: Result) => {
  results.push(r);
  const verdict = r.pass === undefined ? '' : r.pass ? '  PASS' : '  FAIL';
  process.stdout.write(`  ${r.name.padEnd(58)} ${r.value.padEnd(34)} ${r.target ?? ''}${verdict}\n`);
};

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The bundled bin, as a user or cron runs it. */
export const CLI = resolve(import.meta.dirname, '../cli.js');

/**
 * `node [nodeArgs] dist/cli.js ...args` in `cwd` with only `env` (plus PATH): a separate process, like cron's.
 * Resolves with its stderr.
 */
export function spawnCli(
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
  nodeArgs: readonly string[] = [],
): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolveRun(stderr) : reject(new Error(`adoption-metrics ${args.join(' ')} exited ${code}:\n${stderr}`)),
    );
  });
}
