import type { Env } from '../core/collector.js';

/** What a command touches outside itself, injectable so tests can run the CLI in-process. */
export interface CliIo {
  env: Env;
  now: () => Date;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Progress lines are drawn only on a terminal. */
  isTty: boolean;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    env: Object.freeze({ ...process.env }),
    now: () => new Date(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTty: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}
