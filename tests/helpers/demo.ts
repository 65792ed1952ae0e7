import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CliResult, runCli, tempWorkdir } from './cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const DEMO = resolve(ROOT, 'fixtures/demo-replay');

/** The arguments `npm start` passes to the CLI, as package.json has them, with the replay folder made absolute. */
export function npmStartArgs(): string[] {
  const start: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const command = start.split(' && ').find((part) => part.startsWith('node dist/cli.js '));
  const args = command!.split(' ').slice(2);
  return args.map((arg, i) => (args[i - 1] === '--replay' ? resolve(ROOT, arg) : arg));
}

/** What `npm start` does on a fresh machine, in a scratch directory: its result and where its reports are. */
export async function runDemo(prefix = 'am-demo-'): Promise<{ dir: string; out: string; result: CliResult }> {
  const dir = tempWorkdir(prefix);
  const result = await runCli(npmStartArgs(), { cwd: dir });
  return { dir, out: join(dir, 'output/demo'), result };
}
