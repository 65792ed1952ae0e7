import type { Env } from '../core/collector.js';

/** What a command touches outside itself, injectable so tests can run the CLI in-process. */
export interface CliIo {
  env: Env;
  now: () => Date;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Progress lines are drawn only on a terminal (stderr). */
  isTty: boolean;
  /** stdout is a terminal: the summary's scorecard then uses ▲ ▼ ● and colour, unless NO_COLOR is set. */
  stdoutIsTty?: boolean;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    env: Object.freeze({ ...process.env }),
    now: () => new Date(),
    stdout: tolerantWriter(process.stdout),
    stderr: tolerantWriter(process.stderr),
    isTty: Boolean(process.stderr.isTTY),
    stdoutIsTty: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
}

/**
 * Writes to a stream whose reader may go away (`adoption-metrics run | head`, a closed terminal): from then
 * on output is dropped and the run goes on, instead of an EPIPE killing a collection half-way.
 */
function tolerantWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let open = true;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    open = false;
  });
  return (text) => {
    if (open) stream.write(text);
  };
}
